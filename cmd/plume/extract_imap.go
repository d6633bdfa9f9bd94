package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"time"

	"github.com/plume-admin/plume/mail"
	"github.com/plume-admin/plume/mail/imap"
)

// getenv is os.Getenv, replaceable in tests.
var getenv = os.Getenv

// extractIMAP prints the thread of one message read over IMAP.
//
// URL forms: imaps://USER@HOST[:993] (implicit TLS), imap+starttls://USER@HOST[:143],
// imap://USER@127.0.0.1:PORT (no TLS, loopback only). Credentials never come
// from the command line: PLUME_IMAP_TOKEN (bearer token, mechanism
// PLUME_IMAP_MECH = XOAUTH2 (default) or OAUTHBEARER), else
// PLUME_IMAP_PASSWORD, else a prompt on the terminal. PLUME_IMAP_CA_FILE adds
// trusted roots.
func extractIMAP(imapURL, messageID string, asJSON bool, stdin io.Reader, stdout, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintln(stderr, "plume extract:", err)
		return 1
	}
	if strings.TrimSpace(messageID) == "" {
		fmt.Fprintln(stderr, "plume extract: --imap needs --message-id '<id@host>'")
		return 2
	}
	opts, user, err := imapOptionsFromURL(imapURL)
	if err != nil {
		fmt.Fprintln(stderr, "plume extract:", err)
		return 2
	}
	who := mail.Caller{User: user, Email: user}
	switch {
	case getenv("PLUME_IMAP_TOKEN") != "":
		who.Token = getenv("PLUME_IMAP_TOKEN")
		opts.Auth.OAuth = imap.MechXOAuth2
		if m := strings.ToUpper(getenv("PLUME_IMAP_MECH")); m != "" {
			opts.Auth.OAuth = m
		}
	case getenv("PLUME_IMAP_PASSWORD") != "":
		pw := getenv("PLUME_IMAP_PASSWORD")
		opts.Auth.Password = func(string) (string, error) { return pw, nil }
	default:
		pw, err := promptPassword(fmt.Sprintf("IMAP password for %s: ", user), stderr)
		if err != nil {
			return fail(fmt.Errorf("no credentials: set PLUME_IMAP_PASSWORD or PLUME_IMAP_TOKEN, or run on a terminal (%w)", err))
		}
		opts.Auth.Password = func(string) (string, error) { return pw, nil }
	}
	opts.CAFile = getenv("PLUME_IMAP_CA_FILE")
	src, err := imap.New(opts)
	if err != nil {
		return fail(err)
	}
	defer src.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	t, err := src.Thread(ctx, who, messageID)
	if err != nil {
		return fail(err)
	}
	markings, perMessage, err := detectMarkings(t)
	if err != nil {
		return fail(err)
	}
	if err := printExtract(stdout, t, markings, perMessage, nil, asJSON); err != nil {
		return fail(err)
	}
	return 0
}

// imapOptionsFromURL reads the server, transport and user from the URL and
// refuses a password written in it.
func imapOptionsFromURL(raw string) (imap.Options, string, error) {
	var opts imap.Options
	u, err := url.Parse(raw)
	if err != nil {
		return opts, "", fmt.Errorf("--imap: %w", err)
	}
	if u.User == nil || u.User.Username() == "" {
		return opts, "", errors.New("--imap: the URL names no user (imaps://USER@HOST:993)")
	}
	if _, set := u.User.Password(); set {
		return opts, "", errors.New("--imap: never put a password in the URL; use PLUME_IMAP_PASSWORD, PLUME_IMAP_TOKEN or the prompt")
	}
	port := ""
	switch strings.ToLower(u.Scheme) {
	case "imaps":
		opts.Security, port = imap.ImplicitTLS, "993"
	case "imap+starttls":
		opts.Security, port = imap.StartTLS, "143"
	case "imap":
		opts.Security, port = imap.Plain, "143"
	default:
		return opts, "", fmt.Errorf("--imap: scheme %q: use imaps://, imap+starttls:// or imap:// (loopback only)", u.Scheme)
	}
	if u.Port() != "" {
		port = u.Port()
	}
	if u.Hostname() == "" {
		return opts, "", errors.New("--imap: the URL names no host")
	}
	opts.Addr = net.JoinHostPort(u.Hostname(), port)
	return opts, u.User.Username(), nil
}

// promptPassword reads a password from the terminal without echo.
func promptPassword(prompt string, stderr io.Writer) (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", err
	}
	defer tty.Close()
	fmt.Fprint(tty, prompt)
	echoOff := exec.Command("stty", "-echo")
	echoOff.Stdin = tty
	if err := echoOff.Run(); err != nil {
		return "", fmt.Errorf("cannot turn terminal echo off: %w", err)
	}
	defer func() {
		echoOn := exec.Command("stty", "echo")
		echoOn.Stdin = tty
		_ = echoOn.Run()
		fmt.Fprintln(tty)
	}()
	line, err := bufio.NewReader(tty).ReadString('\n')
	if err != nil && line == "" {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
