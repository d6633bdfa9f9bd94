package extract

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// Legacy binary Office files (.doc, .xls, .ppt) are converted to their
// OOXML form by LibreOffice, when it is installed, then read like any
// other document. LibreOffice runs as a separate process in a private
// profile, under the document's time limit and a memory cap, and is
// killed with its children when either is passed. Without it, the
// document is refused with the name of the package to install.

// legacyTargets maps a legacy format to the OOXML format it converts to,
// and names it and the Debian package that converts it.
var legacyTargets = map[string]struct{ to, name, pkg string }{
	"doc": {"docx", "document Word 97-2003 (.doc)", "libreoffice-writer-nogui"},
	"xls": {"xlsx", "classeur Excel 97-2003 (.xls)", "libreoffice-calc-nogui"},
	"ppt": {"pptx", "présentation PowerPoint 97-2003 (.ppt)", "libreoffice-impress-nogui"},
}

// ErrNoConverter reports a legacy Office document when LibreOffice is not installed.
var ErrNoConverter = fmt.Errorf("%w: LibreOffice absent", ErrUnsupported)

// lookSoffice finds LibreOffice; tests replace it.
var lookSoffice = func() (string, error) { return exec.LookPath("soffice") }

// legacyMemory caps the address space of the converter (KiB).
const legacyMemory = 4 << 20

func readLegacy(b *budget, format string, data []byte, doc *Document) error {
	t := legacyTargets[format]
	soffice, err := lookSoffice()
	if err != nil {
		return fmt.Errorf("%w — %s : installez LibreOffice (Debian : apt install %s) ou enregistrez le fichier en .%s, .odt ou .pdf",
			ErrNoConverter, t.name, t.pkg, t.to)
	}
	if err := b.add(len(data)); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "plume-legacy-")
	if err != nil {
		return fmt.Errorf("extract: conversion %s: %w", t.name, err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "document."+format)
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return fmt.Errorf("extract: conversion %s: %w", t.name, err)
	}
	// ulimit caps the memory of soffice and of the soffice.bin it starts.
	cmd := exec.CommandContext(b.ctx, "/bin/sh", "-c", `ulimit -v `+strconv.Itoa(legacyMemory)+` && exec "$0" "$@"`,
		soffice, "--headless", "--norestore", "--nolockcheck", "--nodefault",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", t.to, "--outdir", dir, in)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	out, runErr := cmd.CombinedOutput()
	if err := b.check(); err != nil {
		return err
	}
	result := filepath.Join(dir, "document."+t.to)
	fi, err := os.Stat(result)
	if err != nil {
		if runErr != nil {
			return fmt.Errorf("%w: %s illisible par LibreOffice: %w (%.200s)", ErrMalformed, t.name, runErr, out)
		}
		return fmt.Errorf("%w: %s illisible par LibreOffice (%.200s)", ErrMalformed, t.name, out)
	}
	if fi.Size() > b.lim.MaxBytes {
		return fmt.Errorf("%w: %s converti en %d octets", ErrTooLarge, t.name, fi.Size())
	}
	conv, err := os.ReadFile(result)
	if err != nil {
		return fmt.Errorf("extract: conversion %s: %w", t.name, err)
	}
	if err := extractInto(b, t.to, conv, doc); err != nil {
		if errors.Is(err, ErrTooLarge) || errors.Is(err, ErrProtected) {
			return err
		}
		return fmt.Errorf("%w: %s converti illisible: %w", ErrMalformed, t.name, err)
	}
	doc.Notes = append(doc.Notes, t.name+" converti par LibreOffice")
	return nil
}
