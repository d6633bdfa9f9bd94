#!/usr/bin/env bash
# Builds a second real-world PDF corpus for the PDF extraction evaluation (make eval-docs-debian)
# from the PDFs that Debian documentation packages ship: many producers (pdfTeX, XeTeX, LuaTeX,
# dvips+Ghostscript, dvipdfm, DocBook via FOP and dblatex, Sphinx, Doxygen, texinfo, groff,
# htmldoc, OpenOffice/LibreOffice, Word via Distiller, PDFMaker, Quartz or "Print To PDF",
# FrameMaker, Scribus, cairo, ReportLab, Prawn, ImageMagick...), French documents among them.
# Usage: scripts/corpus-debian.sh [OUT]  (OUT defaults to $PLUME_CORPUS_DEBIAN, then
# ~/.cache/plume/corpus-debian). Writes OUT/pdf/PKG--NAME.pdf and OUT/SOURCES.tsv.
# Needs apt-get and dpkg-deb, not root: `apt-get download` only fetches the .deb, nothing is
# installed. Idempotent: a package whose PDFs were already taken is not downloaded again.
set -euo pipefail

out=${1:-${PLUME_CORPUS_DEBIAN:-$HOME/.cache/plume/corpus-debian}}
max_bytes=$((15 * 1024 * 1024)) # bigger PDFs make the evaluation slow without adding variety
per_pkg=3                        # so that no package (or producer) dominates the scores

# Entries are PACKAGE or PACKAGE=GLOB,GLOB...: the globs (on the path inside the .deb, tried in
# order) pick the PDFs to keep, else the first ones by path. Versions: whatever the mirror serves.
packages='
# French documents. DBLaTeX -> xdvipdfmx, Sphinx -> pdfTeX or xdvipdfmx, LuaTeX (texworks).
debian-faq-fr debian-reference-fr developers-reference-fr maint-guide-fr ubuntu-packaging-guide-pdf-fr
expeyes-doc-fr eyes17-manuals-fr debian-edu-doc-fr=*bookworm* debian-edu-doc-legacy-fr texworks-help-fr
# texinfo with music examples via Ghostscript; asciidoc -> dblatex; LibreOffice 7.4.
lilypond-doc-pdf-fr=*/essay.fr.pdf,*/changes.fr.pdf winff-doc=*WinFF.fr.pdf*
linuxcnc-doc-fr=*Getting_Started_fr.pdf,*Integrator_fr.pdf auto-multiple-choice-doc-pdf=*.fr.pdf
claws-mail-doc=*/fr/* debian-history=*.fr.pdf debian-refcard=*refcard-fr-a4.pdf*,*refcard-ja-a4.pdf*
# gropdf (groff) (penguin.pdf is an image only); live-manual: this build lost its body text.
groff=*/mon_premier_doc.pdf*,*/mom-pdf.pdf*,*/penguin.pdf* live-manual-pdf=*portrait.fr.a4.pdf*
# Upstream-made: Pages/Quartz, Acrobat PDFWriter, Word/Quartz; OpenOffice.org 1.9 and 2.0,
# LibreOffice 5.2, groff -> Ghostscript, Distiller + PDFMaker for Word, PrimoPDF, FrameMaker.
clips-doc=*users_guide*,*architecture_manual*,*interfaces_guide* coco-doc=*/UserManual.pdf
gutenprint-doc libargtable2-docs=*intro*,*/argtable2.pdf* libzemberek-java-doc srf-doc
tokyocabinet-doc=*tokyoproducts* raster3d-doc
# Font documentation in Ethiopic, Khmer, Arabic, Miao/Chinese, Myanmar: LibreOffice, Distiller,
# Pages/Quartz, "Microsoft: Print To PDF", cairo; cups-filters: cairo test page, LibreOffice form.
fonts-sil-abyssinica fonts-sil-mondulkiri=*Family*,*typing?Khmer* fonts-sil-alkalami=*features*
fonts-sil-shimenkan fonts-sil-harmattan=*features* fonts-sil-padauk=*features*
fonts-sil-andika=*/features.pdf* cups-filters=*/default-testpage.pdf,*/form_english.pdf
# ReportLab, Prawn, htmldoc, Ghostscript 9.27, Scribus, PDF::Builder, ImageMagick (image only),
# FOP example with Producer "null", hand-written (no Info), Matplotlib, OpenOffice.org Draw.
python-reportlab-doc ruby-prawn-doc fltk1.1-doc xfig-doc=*xfig-howto* libpodofo-utils
libpdf-builder-perl=*040_annotation* libcam-pdf-perl fop-doc libjs-pdf python-nipy-doc=*/elegant.pdf
gprolog-doc=*logo.pdf,*/gprolog.pdf mummer-doc=*AlignmentTypes*
# DocBook and XSL-FO: FOP 1.1 to 2.8 (massxpert: many screenshots), Sphinx -> xdvipdfmx.
debian-policy xorg-docs=*ReleaseNotes.pdf*,*icccm.pdf* erlang-doc=*otp-system-documentation*
gpsbabel-doc systemtap-doc=*Beginners_Guide*,*tutorial* scons-doc=*scons-user.pdf* massxpert-doc
# TeX family: groff -> Ghostscript, Distiller 3 (Solaris), pdfTeX 0.13 to 1.40, Doxygen,
# "PARI" (plain TeX, three columns), dvipdfm, dvips -> AFPL/GNU/GPL Ghostscript 7 to 10, MiKTeX,
# Distiller 4, LuaTeX, ESP Ghostscript, LyX, Beamer, texinfo.
graphviz-doc=*/dot.1.pdf*,*/leftyguide.pdf*,*/neatoguide.pdf* doxygen-doc libccfits-doc
siscone-doc-pdf avr-libc=*user-manual* pari-doc=*/refcard-ell.pdf coinor-libsymphony-doc ctsim-doc
ns2-doc tcm-doc gpsim-doc lisaac-doc=*slides* speex-doc haskell98-report=*haskell98-report.pdf*
maxima-doc=*maximabook* tree-puzzle-doc camlidl-doc r-doc-pdf=*/R-FAQ.pdf octave-doc=*/refcard-a4.pdf
gnuplot-doc ghostscript-doc texlive-fonts-recommended-doc=*/txfontsdoc.pdf asymptote-doc=*/asyRefCard.pdf
texlive-humanities-doc=*/thalie.pdf,*/expex-doc.pdf,*/screenplay/test.pdf sdcc-doc
bacula-doc=*/console.pdf* dynare-doc=*/dseriesReporting.pdf*
'


shopt -s nullglob
mkdir -p "$out/pdf" "$out/.done"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
apt_opts=(-q)
# As root, apt drops to the _apt user, who cannot write into our private temp dir.
if [ "$(id -u)" = 0 ]; then apt_opts+=(-o APT::Sandbox::User=root); fi
updated=0

# read -a splits on blanks and newlines without expanding the globs.
# shellcheck disable=SC2001 # comments end each line
read -r -d '' -a entries < <(sed 's/#.*//' <<<"$packages") || true
for entry in "${entries[@]}"; do
	pkg=${entry%%=*} globs=()
	[[ $entry == *=* ]] && IFS=, read -r -a globs <<<"${entry#*=}"
	# Taken on an earlier run (OUT/.done/PKG lists its files; delete it to take PKG again).
	if [ -s "$out/.done/$pkg" ]; then
		missing=0
		while IFS=$'\t' read -r f _; do [ -f "$out/pdf/$f" ] || missing=1; done <"$out/.done/$pkg"
		((missing)) || continue
	fi
	rm -rf "${tmp:?}"/*
	if ! (cd "$tmp" && apt-get download "${apt_opts[@]}" "$pkg" >/dev/null 2>"$tmp/err"); then
		# Stale or missing package lists: refresh them once (root only), then retry.
		if [ "$updated" = 0 ] && [ "$(id -u)" = 0 ]; then
			updated=1
			apt-get update -q >/dev/null
			(cd "$tmp" && apt-get download "${apt_opts[@]}" "$pkg" >/dev/null 2>"$tmp/err") || true
		fi
	fi
	deb=$(find "$tmp" -maxdepth 1 -name '*.deb' | head -n1)
	if [ -z "$deb" ]; then
		echo "corpus-debian: $pkg: download failed: $(tail -n1 "$tmp/err")" >&2
		continue
	fi
	version=$(dpkg-deb -f "$deb" Version)
	dpkg-deb -x "$deb" "$tmp/x"
	# Regular files only: documentation packages also ship symlinks to the same PDFs.
	mapfile -t files < <(cd "$tmp/x" && find . -type f \( -name '*.pdf' -o -name '*.pdf.gz' \) | sort)
	((${#globs[@]})) || globs=('*')
	picked=() && declare -A seen=()
	for g in "${globs[@]}"; do
		for f in "${files[@]}"; do
			# shellcheck disable=SC2053 # $g is a glob on purpose
			[[ $f == $g && -z ${seen[$f]:-} ]] || continue
			picked+=("$f") && seen[$f]=1
		done
	done
	: >"$tmp/taken"
	n=0
	for f in "${picked[@]}"; do
		((n < per_pkg)) || break
		base=$(basename "${f%.gz}")
		name="$pkg--${base// /_}"
		# Same basename in two folders (translations): keep both apart.
		grep -qxF "$name" "$tmp/taken" && name="$pkg--$(basename "$(dirname "$f")")-${base// /_}"
		case $f in
		*.gz) gunzip -c "$tmp/x/$f" >"$tmp/one.pdf" ;;
		*) cp "$tmp/x/$f" "$tmp/one.pdf" ;;
		esac
		if [ "$(stat -c %s "$tmp/one.pdf")" -gt "$max_bytes" ]; then continue; fi
		mv "$tmp/one.pdf" "$out/pdf/$name"
		printf '%s\t%s\t%s\n' "$name" "$pkg" "$version" >>"$tmp/taken.tsv"
		echo "$name" >>"$tmp/taken"
		n=$((n + 1))
	done
	if [ "$n" = 0 ]; then
		echo "corpus-debian: $pkg $version: no PDF matched ${globs[*]}" >&2
		continue
	fi
	mv "$tmp/taken.tsv" "$out/.done/$pkg"
	echo "corpus-debian: $pkg $version: $n PDF(s)"
done

# SOURCES.tsv is rebuilt from the files on disk, so it is right after a partial earlier run.
pdfinfo_ok=0
command -v pdfinfo >/dev/null && pdfinfo_ok=1
{
	printf 'file\tpackage\tversion\tproducer\tsize\n'
	cat /dev/null "$out"/.done/* | sort | while IFS=$'\t' read -r name pkg version; do
		[ -f "$out/pdf/$name" ] || continue
		producer=-
		if [ "$pdfinfo_ok" = 1 ]; then
			producer=$(pdfinfo "$out/pdf/$name" 2>/dev/null | sed -n 's/^Producer: *//p' | tr '\t' ' ')
			producer=${producer:--}
		fi
		printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$pkg" "$version" "$producer" "$(stat -c %s "$out/pdf/$name")"
	done
} >"$out/SOURCES.tsv"
echo "corpus-debian: $(($(wc -l <"$out/SOURCES.tsv") - 1)) PDFs in $out/pdf ($((SECONDS - start))s)"
