package imaptest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/plume-admin/plume/internal/testenv"
)

// DovecotBinary is where Debian's dovecot-imapd installs the server.
const DovecotBinary = "/usr/sbin/dovecot"

// Dovecot master user of every instance started by StartDovecot.
const (
	MasterLogin    = "plume-master"
	MasterPassword = "master-secret"
)

// StartDovecot starts a private Dovecot (Debian dovecot-imapd) for t: its
// own configuration, runtime and mail directories in a fresh temporary
// directory, a free port on 127.0.0.1, plain IMAP, a passwd-file user, a
// master user ("USER*plume-master"), XOAUTH2 and OAUTHBEARER with
// opts.Token checked by Dovecot's oauth2 passdb against a token
// introspection endpoint of its own (see [Server.Introspections]), INBOX
// plus SPECIAL-USE Sent and Archive. opts.Maildir writes files into INBOX
// before Dovecot starts; opts.Messages are appended over IMAP.
// The instance is stopped and its files removed when t ends. Without Dovecot the test is skipped
// (or fails when integration is required, see internal/testenv).
func StartDovecot(t testing.TB, opts Options) *Server {
	t.Helper()
	opts.defaults()
	bin := testenv.LookPath("dovecot", DovecotBinary)
	if bin == "" {
		testenv.Missing(t, "dovecot", "make deps")
	}
	// A short path of our own: Dovecot's unix sockets live under base_dir
	// and socket paths are limited to about 100 bytes.
	dir, err := os.MkdirTemp("", "plume-dv-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	port := testenv.FreePort(t)

	internal, internalGroup, login, mailUser, mailGroup := "root", "root", "dovenull", "nobody", "nogroup"
	if os.Geteuid() != 0 {
		// Unprivileged: everything runs as the current user.
		u, err := user.Current()
		if err != nil {
			t.Fatal(err)
		}
		g, err := user.LookupGroupId(u.Gid)
		if err != nil {
			t.Fatal(err)
		}
		internal, internalGroup, login, mailUser, mailGroup = u.Username, g.Name, u.Username, u.Username, g.Name
	} else {
		if _, err := user.Lookup(login); err != nil {
			login = "nobody"
		}
		if err := os.Chmod(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"run", "state", "home"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if opts.Maildir != nil {
		inbox := filepath.Join(dir, "home", opts.User, "Maildir")
		for _, d := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(inbox, d), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if err := opts.Maildir(inbox); err != nil {
			t.Fatalf("imaptest: write maildir: %v", err)
		}
	}
	if os.Geteuid() == 0 {
		mu, err := user.Lookup(mailUser)
		if err != nil {
			t.Fatal(err)
		}
		uid, _ := strconv.Atoi(mu.Uid)
		gid, _ := strconv.Atoi(mu.Gid)
		// The home and anything written into it belong to the mail user.
		err = filepath.WalkDir(filepath.Join(dir, "home"), func(p string, _ os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			return os.Lchown(p, uid, gid)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("passwd", fmt.Sprintf("%s:{PLAIN}%s\n", opts.User, opts.Password))
	write("masters", fmt.Sprintf("%s:{PLAIN}%s\n", MasterLogin, MasterPassword))
	in, hs := startIntrospector(t, opts.User, opts.Token)
	write("dovecot-oauth2.conf.ext", dovecotOAuth2Config(hs.URL))
	conf := filepath.Join(dir, "dovecot.conf")
	certFile, keyFile := selfSignedFiles(t, dir)
	tlsPort := testenv.FreePort(t)
	write("dovecot.conf", dovecotConfig(dir, port, internal, internalGroup, login, mailUser, mailGroup)+
		dovecotTLSConfig(certFile, keyFile, tlsPort)+opts.DovecotConfig)

	cmd := exec.Command(bin, "-F", "-c", conf)
	cmd.Dir = dir
	// Pdeathsig: a test binary killed on timeout takes its server with it.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("imaptest: start dovecot: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
	})
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	waitReady(t, addr, exited, filepath.Join(dir, "dovecot.log"))

	s := &Server{Kind: "dovecot", Addr: addr, TLSAddr: net.JoinHostPort("127.0.0.1", strconv.Itoa(tlsPort)), CAFile: certFile, User: opts.User, Password: opts.Password, Token: opts.Token,
		MasterLogin: MasterLogin, MasterPassword: MasterPassword, ConfigFile: conf, introspections: in.seen}
	if len(opts.Messages) > 0 {
		c, err := imapclient.DialInsecure(addr, nil)
		if err != nil {
			t.Fatalf("imaptest: dial dovecot: %v", err)
		}
		defer c.Close()
		if err := c.Login(s.User, s.Password).Wait(); err != nil {
			t.Fatalf("imaptest: login dovecot: %v", err)
		}
		created := map[string]bool{Inbox: true, Sent: true, Archive: true}
		for _, m := range opts.Messages {
			if !created[m.Folder] {
				created[m.Folder] = true
				if err := c.Create(m.Folder, nil).Wait(); err != nil {
					t.Fatalf("imaptest: create %s: %v", m.Folder, err)
				}
			}
		}
		appendAll(t, c, opts.Messages)
	}
	return s
}

// dovecotTLSConfig offers STARTTLS on the plain port and implicit TLS on
// tlsPort, with a self-signed certificate.
func dovecotTLSConfig(certFile, keyFile string, tlsPort int) string {
	return fmt.Sprintf(`ssl = yes
ssl_cert = <%s
ssl_key = <%s
ssl_min_protocol = TLSv1.2
service imap-login {
  inet_listener imaps {
    address = 127.0.0.1
    port = %d
    ssl = yes
  }
}
`, certFile, keyFile, tlsPort)
}

func dovecotConfig(dir string, port int, internal, internalGroup, login, mailUser, mailGroup string) string {
	return strings.NewReplacer("DIR", dir, "PORT", strconv.Itoa(port), "INTERNALGROUP", internalGroup, "INTERNAL", internal,
		"LOGINUSER", login, "MAILUSER", mailUser, "MAILGROUP", mailGroup).Replace(`# Private Dovecot instance started by plume's mail/imap/imaptest.
base_dir = DIR/run
state_dir = DIR/state
log_path = DIR/dovecot.log
instance_name = plume-PORT
protocols = imap
listen = 127.0.0.1
disable_plaintext_auth = no
auth_mechanisms = plain login oauthbearer xoauth2
auth_master_user_separator = *
auth_failure_delay = 0
# Test data: no fsync (seeding 10,000 messages otherwise takes minutes).
mail_fsync = never
default_internal_user = INTERNAL
default_internal_group = INTERNALGROUP
default_login_user = LOGINUSER
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:~/Maildir
# Each passdb serves its own mechanisms: a password login never reaches
# the introspection endpoint, a bearer token is never checked as a password.
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u DIR/masters
  master = yes
  mechanisms = plain login
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u DIR/passwd
  mechanisms = plain login
}
passdb {
  driver = oauth2
  args = DIR/dovecot-oauth2.conf.ext
  mechanisms = oauthbearer xoauth2
}
userdb {
  driver = static
  # allow_all_users: doveadm looks users up without a passdb lookup.
  args = uid=MAILUSER gid=MAILGROUP home=DIR/home/%u allow_all_users=yes
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Sent {
    special_use = \Sent
    auto = create
  }
  mailbox Archive {
    special_use = \Archive
    auto = create
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = PORT
  }
}
service anvil {
  chroot =
}
service imap-hibernate {
  unix_listener imap-hibernate {
    mode = 0600
  }
}
`)
}

// waitReady waits for the IMAP greeting (up to 15 s), failing early if
// Dovecot exits.
func waitReady(t testing.TB, addr string, exited chan error, logPath string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			exited <- err
			log, _ := os.ReadFile(logPath)
			t.Fatalf("imaptest: dovecot exited: %v\n%s", err, log)
		default:
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if strings.HasPrefix(line, "* OK") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond) // readiness poll, not a timing assertion
	}
	log, _ := os.ReadFile(logPath)
	t.Fatalf("imaptest: dovecot did not answer on %s\n%s", addr, log)
}
