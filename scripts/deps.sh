#!/usr/bin/env bash
# Installs what Plume's integration suites need on Debian: Dovecot (IMAP tests),
# Chromium (panel tests), Thunderbird with its French UI (real-client tests), poppler-utils
# (pdftotext, for the extraction benchmark), tesseract-ocr with its French model
# (OCR of scanned PDFs and images; English comes with it), LibreOffice without its
# GUI (legacy .doc/.xls/.ppt attachments, the generated courriers and notes, and
# Office references of the extraction evaluation), pandoc (DOCX/ODT references),
# redis-server and haproxy (shared cache and scale-out tests; the tests start their
# own instances), podman (make image), wfrench (/usr/share/dict/french, read by
# `go generate ./privacy` to rebuild the embedded lexicon) and the npm packages
# under tools/node. Idempotent: installed packages are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(dovecot-imapd chromium thunderbird thunderbird-l10n-fr poppler-utils tesseract-ocr tesseract-ocr-fra
	redis-server haproxy podman ca-certificates tzdata wfrench
	libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui pandoc)
missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
if ((${#missing[@]})); then
	SUDO=""
	if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
	# Dovecot's package starts a system instance; tests run their own.
	if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now dovecot redis-server haproxy >/dev/null 2>&1 || true; fi
	$SUDO pkill -x dovecot 2>/dev/null || true
else
	echo "deps: Debian packages already installed: ${pkgs[*]}"
fi

if [ -f tools/node/package.json ]; then
	if [ -f tools/node/package-lock.json ]; then
		(cd tools/node && npm ci --no-audit --no-fund --loglevel=error)
	else
		(cd tools/node && npm install --no-audit --no-fund --loglevel=error)
	fi
fi
