// Package thunderbird is Plume's end-to-end suite in a real Thunderbird:
// Thunderbird ESR runs headless on a fresh profile with an IMAP account on a
// test Dovecot, Plume's generated .xpi installed, and the suite drives it
// through Marionette (see shared/thunderbird-e2e.md for what is known to work).
package thunderbird

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/plume-admin/plume/internal/testenv"
)

// binary is Thunderbird itself; the /usr/bin wrapper migrates profiles.
const binary = "/usr/lib/thunderbird/thunderbird"

// account is the IMAP account the profile is set up with.
type account struct {
	Host     string
	Port     int
	User     string
	Password string
	Name     string
	Email    string
}

// freePort returns a free TCP port on loopback.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// writeProfile writes user.js for a fresh profile: Marionette on
// marionettePort, the IMAP account acct (none when nil), and fixed
// moz-extension:// UUIDs per add-on id (uuids, may be nil).
func writeProfile(dir string, marionettePort int, acct *account, uuids map[string]string) error {
	prefs := map[string]any{
		"marionette.port":                               marionettePort,
		"extensions.autoDisableScopes":                  0,
		"extensions.enabledScopes":                      15,
		"devtools.console.stdout.content":               true,
		"mail.shell.checkDefaultClient":                 false,
		"app.update.disabledForTesting":                 true,
		"app.update.auto":                               false,
		"extensions.update.enabled":                     false,
		"datareporting.policy.dataSubmissionEnabled":    false,
		"datareporting.healthreport.uploadEnabled":      false,
		"toolkit.telemetry.enabled":                     false,
		"mail.provider.suppress_dialog_on_startup":      true,
		"mail.spotlight.firstRunDone":                   true,
		"mail.winsearch.firstRunDone":                   true,
		"mailnews.start_page.enabled":                   false,
		"mail.rights.version":                           1,
		"browser.shell.checkDefaultBrowser":             false,
		"mail.tabs.loadInBackground":                    false,
		"network.captive-portal-service.enabled":        false,
		"network.connectivity-service.enabled":          false,
		"messenger.startup.action":                      0,
		"mail.startup.enabledMailCheckOnce":             true,
		"mailnews.auto_config.guess.enabled":            false,
		"xpinstall.signatures.required":                 false,
		"extensions.experiments.enabled":                true,
		"browser.dom.window.dump.enabled":               true,
		"mail.server.default.check_new_mail":            false,
		"mail.biff.show_alert":                          false,
		"mail.tabs.drawInTitlebar":                      false,
		"security.sandbox.content.level":                0,
		"remote.prefs.recommended":                      true,
		"mailnews.database.global.indexer.enabled":      false,
		"mail.ui.folderpane.version":                    99,
		"mail.openMessageBehavior":                      2,
		"browser.download.useDownloadDir":               true,
		"general.useragent.locale":                      "fr-FR",
		"intl.locale.requested":                         "fr",
		"mail.compose.default_to_paragraph":             true,
		"mail.identity.default.compose_html":            true,
		"mail.html_compose":                             true,
		"mail.default_html_action":                      3,
		"mailnews.reply_header_type":                    1,
		"mail.inline_attachments":                       true,
		"mail.showCondensedAddresses":                   false,
		"mail.SpellCheckBeforeSend":                     false,
		"mail.warn_on_send_accel_key":                   false,
		"mail.compose.attachment_reminder":              false,
		"mail.phishing.detection.enabled":               false,
		"mailnews.message_display.disable_remote_image": true,
		// Extension pages in the parent process: chrome scripts reach the
		// popup's DOM through its <browser>.
		"extensions.webextensions.remote": false,
	}
	if len(uuids) > 0 {
		b, err := json.Marshal(uuids)
		if err != nil {
			return err
		}
		prefs["extensions.webextensions.uuids"] = string(b)
	}
	if acct != nil {
		s := "mail.server.server1."
		for k, v := range map[string]any{
			"mail.accountmanager.accounts":       "account1",
			"mail.accountmanager.defaultaccount": "account1",
			"mail.account.account1.server":       "server1",
			"mail.account.account1.identities":   "id1",
			s + "type":                           "imap",
			s + "hostname":                       acct.Host,
			s + "port":                           acct.Port,
			s + "socketType":                     0,
			s + "authMethod":                     3,
			s + "userName":                       acct.User,
			s + "name":                           acct.Name,
			s + "login_at_startup":               true,
			s + "check_new_mail":                 false,
			s + "autosync_offline_stores":        false,
			s + "offline_download":               false,
			"mail.identity.id1.fullName":         acct.Name,
			"mail.identity.id1.useremail":        acct.Email,
			"mail.identity.id1.valid":            true,
			"mail.identity.id1.compose_html":     true,
			// The agent's signature, above the quote as French
			// administrations reply: Plume's insertion must keep it.
			"mail.identity.id1.htmlSigText":   signature,
			"mail.identity.id1.htmlSigFormat": true,
			"mail.identity.id1.sig_on_reply":  true,
			"mail.identity.id1.reply_on_top":  1,
			"mail.identity.id1.sig_bottom":    false,
		} {
			prefs[k] = v
		}
	}
	var b bytes.Buffer
	for k, v := range prefs {
		switch v := v.(type) {
		case string:
			fmt.Fprintf(&b, "user_pref(%q, %q);\n", k, v)
		default:
			fmt.Fprintf(&b, "user_pref(%q, %v);\n", k, v)
		}
	}
	return os.WriteFile(filepath.Join(dir, "user.js"), b.Bytes(), 0o644)
}

// signature is the identity's HTML signature in the suite's profile.
const signature = "Julien Caron<br>Préfecture de la Somme — bureau des finances locales"

// instance is one running Thunderbird.
type instance struct {
	cmd  *exec.Cmd
	m    *marionette
	logs *syncBuffer
	done chan struct{}
}

// syncBuffer is a log or audit buffer the test reads while the server writes.
type syncBuffer = testenv.SyncBuffer

// start launches Thunderbird headless on profile and opens a chrome-context
// Marionette session.
func start(ctx context.Context, profile string, port int) (*instance, error) {
	cmd := exec.Command(binary, "--headless", "--marionette", "-remote-allow-system-access", "--no-remote", "--profile", profile)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.Env = append(os.Environ(), "MOZ_HEADLESS=1", "MOZ_CRASHREPORTER_DISABLE=1", "MOZ_DISABLE_AUTO_SAFE_MODE=1", "LANG=fr_FR.UTF-8")
	// Pdeathsig: a test binary killed on timeout takes Thunderbird with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	in := &instance{cmd: cmd, logs: logs, done: make(chan struct{})}
	go func() { cmd.Wait(); close(in.done) }()
	m, err := dialMarionette(ctx, fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		in.kill()
		return nil, fmt.Errorf("%w\n%s", err, tail(logs.String(), 3000))
	}
	in.m = m
	if _, err := m.call("WebDriver:NewSession", map[string]any{}, 60*time.Second); err != nil {
		in.kill()
		return nil, err
	}
	if _, err := m.call("Marionette:SetContext", map[string]any{"value": "chrome"}, 10*time.Second); err != nil {
		in.kill()
		return nil, err
	}
	return in, nil
}

// quit asks Thunderbird to quit, then SIGTERMs (and SIGKILLs) it.
func (in *instance) quit() {
	if in.m != nil {
		in.m.call("Marionette:Quit", map[string]any{"flags": []string{"eForceQuit"}}, 10*time.Second)
		in.m.close()
	}
	select {
	case <-in.done:
	case <-time.After(10 * time.Second):
		in.kill()
	}
}

func (in *instance) kill() {
	if in.cmd.Process == nil {
		return
	}
	syscall.Kill(-in.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-in.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-in.cmd.Process.Pid, syscall.SIGKILL)
		<-in.done
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// storePassword stores the IMAP password in a throwaway profile's login
// store and copies key4.db and logins.json into profile (Thunderbird otherwise
// waits on an invisible password prompt).
func storePassword(ctx context.Context, profile string, acct account) error {
	tmp, err := os.MkdirTemp("", "plume-tb-login-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	port, err := freePort()
	if err != nil {
		return err
	}
	if err := writeProfile(tmp, port, nil, nil); err != nil {
		return err
	}
	in, err := start(ctx, tmp, port)
	if err != nil {
		return err
	}
	defer in.quit()
	origin := "imap://" + acct.Host
	_, err = in.m.script(true, `
const [origin, user, password, done] = arguments;
const info = Cc["@mozilla.org/login-manager/loginInfo;1"].createInstance(Ci.nsILoginInfo);
info.init(origin, null, origin, user, password, "", "");
Services.logins.addLoginAsync(info).then(() => done(true), e => done(String(e)));
`, []any{origin, acct.User, acct.Password}, 20*time.Second)
	if err != nil {
		return fmt.Errorf("storing the IMAP password: %w", err)
	}
	in.quit()
	for _, f := range []string{"key4.db", "logins.json"} {
		b, err := os.ReadFile(filepath.Join(tmp, f))
		if err != nil {
			return fmt.Errorf("login store: %w", err)
		}
		if err := os.WriteFile(filepath.Join(profile, f), b, 0o600); err != nil {
			return err
		}
	}
	return nil
}
