// Package manifest generates what an administrator deploys in the mail
// clients, from Plume's own configuration, so that the clients can never
// disagree with the server they talk to:
//
//   - the Outlook add-in-only XML manifest ([Outlook]),
//   - the Microsoft 365 unified JSON manifest ([Unified]) and its app package
//     ([OutlookPackage]),
//   - the Thunderbird MailExtension manifest ([ThunderbirdManifest]) and the
//     packaged extension plume.xpi ([Thunderbird]),
//   - the icons they reference ([Icon], [IconSizes]).
//
// # Options
//
// Every generator takes an [Options] whose zero value works: only BaseURL
// usually needs to be set (the URL the panels reach, e.g.
// https://plume.example.gouv.fr). The Outlook manifests need an https URL;
// the Thunderbird extension also accepts the demo's http://127.0.0.1:8080.
// Output is deterministic: the same Options give byte-identical files, so a
// manifest served by the server and one written by `plume manifest` agree.
//
// # Example
//
//	xml, err := manifest.Outlook(manifest.Options{
//		BaseURL:       "https://plume.example.gouv.fr",
//		EntraClientID: "6f1c8a4e-2b7d-4c1e-9a3f-0d5e7b9c1a2f",
//	})
//
// # Where the files point
//
// The panel is served by the server under {BaseURL}/panel/ (package
// addin/web): Outlook opens {BaseURL}/panel/outlook.html, and the icons are
// {BaseURL}/panel/icons/icon-NN.png. The Thunderbird extension carries its
// own copy of the panel.
package manifest

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
)

// Errors returned by the generators; callers may branch on them with errors.Is.
var (
	// ErrBaseURL reports a missing or malformed BaseURL.
	ErrBaseURL = errors.New("manifest: invalid base URL")
	// ErrInsecure reports a non-https BaseURL where the client requires https (Outlook).
	ErrInsecure = errors.New("manifest: Outlook requires an https base URL")
	// ErrOption reports another invalid option; the message names it.
	ErrOption = errors.New("manifest: invalid option")
)

// Options describe the deployment. The zero value works; each field says its default.
// The yaml tags let the server's configuration embed Options as its
// `manifest:` section.
type Options struct {
	// BaseURL is the public URL of the Plume server as the panels reach it,
	// without a trailing slash; default "http://127.0.0.1:8080" (the demo).
	// Outlook needs https, e.g. "https://plume.example.gouv.fr".
	BaseURL string `yaml:"base_url"`
	// DisplayName is the add-in's name, in French; default "Plume".
	DisplayName string `yaml:"display_name"`
	// DisplayNameEN is the name shown to English-speaking users; default DisplayName.
	DisplayNameEN string `yaml:"display_name_en"`
	// Description is a one-sentence description in French (at most 80
	// characters); default "Assistant IA de messagerie : résumés, projets de réponse, pièces jointes.".
	Description string `yaml:"description"`
	// DescriptionEN is its English version; default "AI mail assistant: summaries, draft replies, attachments.".
	DescriptionEN string `yaml:"description_en"`
	// Version is the add-in version, one to four dot-separated numbers; a
	// suffix such as "-dev" is dropped. Default "1.0.0". Raise it on every
	// change so that clients pick the new manifest up.
	Version string `yaml:"version"`
	// ProviderName is who publishes the add-in; default "Plume".
	ProviderName string `yaml:"provider_name"`
	// AppID is the Outlook add-in and Microsoft 365 app GUID; default a
	// GUID derived from BaseURL, stable for one server. Set it explicitly
	// before a central deployment and never change it afterwards.
	AppID string `yaml:"app_id"`
	// SupportURL is the help page shown by the clients; default BaseURL + "/".
	SupportURL string `yaml:"support_url"`
	// PrivacyURL is the privacy notice (Microsoft 365 requires one); default SupportURL.
	PrivacyURL string `yaml:"privacy_url"`
	// TermsURL is the terms of use (Microsoft 365 requires them); default SupportURL.
	TermsURL string `yaml:"terms_url"`
	// MinMailbox is the Mailbox requirement set the add-in requires; default
	// "1.9", what the panel uses (displayReplyFormAsync 1.9,
	// getAttachmentContentAsync 1.8, ItemChanged 1.5, convertToRestId 1.3).
	MinMailbox string `yaml:"min_mailbox"`
	// EntraClientID is the Entra ID application (client) id used by nested
	// app authentication; when set, WebApplicationInfo is written. Default none.
	EntraClientID string `yaml:"entra_client_id"`
	// EntraResource is the Application ID URI of that application; default
	// "api://{BaseURL host}/{EntraClientID}".
	EntraResource string `yaml:"entra_resource"`
	// EntraScopes are the scopes listed in WebApplicationInfo; default
	// openid, profile and Mail.Read.
	EntraScopes []string `yaml:"entra_scopes"`
	// GeckoID is the Thunderbird extension id; default "plume@{BaseURL host}".
	GeckoID string `yaml:"gecko_id"`
	// StrictMinVersion is the oldest Thunderbird accepted; default "128.0".
	StrictMinVersion string `yaml:"strict_min_version"`
	// UpdateURL is a self-hosted Thunderbird update manifest; default none.
	UpdateURL string `yaml:"update_url"`
	// OIDCIssuer is the OpenID Connect issuer the Thunderbird extension signs
	// in with (e.g. Keycloak, https://sso.example.gouv.fr/realms/agents);
	// when set, the extension gets the "identity" permission. Default none.
	OIDCIssuer string `yaml:"oidc_issuer"`
	// OIDCClientID is the public client registered for the extension; default "plume-thunderbird".
	OIDCClientID string `yaml:"oidc_client_id"`
	// OIDCScopes are the scopes the extension asks for; default openid, profile, email.
	OIDCScopes []string `yaml:"oidc_scopes"`
	// ThunderbirdMode is how the extension lets the server read mail:
	// "imap" (the server reads the mailbox) or "raw" (the extension sends
	// the message's MIME); default "" leaves the panel's default (imap).
	ThunderbirdMode string `yaml:"thunderbird_mode"`
}

// Defaults in one place, so that documentation and code agree.
const (
	defaultBaseURL       = "http://127.0.0.1:8080"
	defaultName          = "Plume"
	defaultDescription   = "Assistant IA de messagerie : résumés, projets de réponse, pièces jointes."
	defaultDescriptionEN = "AI mail assistant: summaries, draft replies, attachments."
	defaultVersion       = "1.0.0"
	defaultMinMailbox    = "1.9"
	defaultStrictMin     = "128.0"
	defaultOIDCClient    = "plume-thunderbird"
	// AccentColor is the bleu France of the French State's design system.
	AccentColor = "#000091"
)

// resolved is Options with defaults applied and derived values computed.
type resolved struct {
	Options
	base     *url.URL
	host     string // host without port
	version4 string // Outlook's four-part version
	version3 string // semver for Microsoft 365
}

var (
	guidRE    = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	versionRE = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9]{1,5}){0,3}$`)
	mailboxRE = regexp.MustCompile(`^1\.[0-9]{1,2}$`)
	geckoRE   = regexp.MustCompile(`^[a-zA-Z0-9._-]+@[a-zA-Z0-9._-]+$`)
)

// resolve applies the defaults and checks the options.
func (o Options) resolve() (*resolved, error) {
	r := &resolved{Options: o}
	if r.BaseURL == "" {
		r.BaseURL = defaultBaseURL
	}
	r.BaseURL = strings.TrimRight(r.BaseURL, "/")
	u, err := url.Parse(r.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %q: %w", ErrBaseURL, r.BaseURL, err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%w: %q: want http(s)://host[:port][/path]", ErrBaseURL, r.BaseURL)
	}
	if u.Scheme == "http" && !loopback(u.Hostname()) {
		return nil, fmt.Errorf("%w: %q: plain http is accepted for a loopback host only (bearer tokens and mail would cross the network unencrypted)", ErrBaseURL, r.BaseURL)
	}
	r.base, r.host = u, u.Hostname()
	def(&r.DisplayName, defaultName)
	def(&r.DisplayNameEN, r.DisplayName)
	def(&r.Description, defaultDescription)
	def(&r.DescriptionEN, defaultDescriptionEN)
	def(&r.ProviderName, defaultName)
	def(&r.SupportURL, r.BaseURL+"/")
	def(&r.PrivacyURL, r.SupportURL)
	def(&r.TermsURL, r.SupportURL)
	def(&r.MinMailbox, defaultMinMailbox)
	def(&r.StrictMinVersion, defaultStrictMin)
	def(&r.OIDCClientID, defaultOIDCClient)
	def(&r.GeckoID, "plume@"+r.host)
	if r.AppID == "" {
		r.AppID = derivedGUID(r.BaseURL)
	}
	if r.EntraClientID != "" {
		def(&r.EntraResource, "api://"+u.Host+"/"+r.EntraClientID)
		if len(r.EntraScopes) == 0 {
			r.EntraScopes = []string{"openid", "profile", "Mail.Read"}
		}
	}
	if len(r.OIDCScopes) == 0 {
		r.OIDCScopes = []string{"openid", "profile", "email"}
	}
	v := r.Version
	if v == "" {
		v = defaultVersion
	}
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	if !versionRE.MatchString(v) {
		return nil, fmt.Errorf("%w: version %q: want 1 to 4 dot-separated numbers", ErrOption, r.Version)
	}
	r.Version = v
	parts := strings.Split(v, ".")
	for len(parts) < 4 {
		parts = append(parts, "0")
	}
	r.version4 = strings.Join(parts, ".")
	r.version3 = strings.Join(parts[:3], ".")
	switch {
	case !guidRE.MatchString(r.AppID):
		return nil, fmt.Errorf("%w: app_id %q is not a GUID", ErrOption, r.AppID)
	case r.EntraClientID != "" && !guidRE.MatchString(r.EntraClientID):
		return nil, fmt.Errorf("%w: entra_client_id %q is not a GUID", ErrOption, r.EntraClientID)
	case !mailboxRE.MatchString(r.MinMailbox):
		return nil, fmt.Errorf("%w: min_mailbox %q: want 1.N", ErrOption, r.MinMailbox)
	case !geckoRE.MatchString(r.GeckoID):
		return nil, fmt.Errorf("%w: gecko_id %q: want name@domain", ErrOption, r.GeckoID)
	case r.ThunderbirdMode != "" && r.ThunderbirdMode != "imap" && r.ThunderbirdMode != "raw":
		return nil, fmt.Errorf("%w: thunderbird_mode %q: want imap or raw", ErrOption, r.ThunderbirdMode)
	case len([]rune(r.DisplayName)) > 30 || len([]rune(r.DisplayNameEN)) > 30:
		return nil, fmt.Errorf("%w: display_name longer than 30 characters", ErrOption)
	case len([]rune(r.ProviderName)) > 125:
		return nil, fmt.Errorf("%w: provider_name longer than 125 characters", ErrOption)
	case len([]rune(r.Description)) > 80 || len([]rune(r.DescriptionEN)) > 80:
		return nil, fmt.Errorf("%w: description longer than 80 characters", ErrOption)
	}
	for name, s := range map[string]string{"support_url": r.SupportURL, "privacy_url": r.PrivacyURL, "terms_url": r.TermsURL, "oidc_issuer": r.OIDCIssuer, "update_url": r.UpdateURL} {
		if s == "" {
			continue
		}
		p, err := url.Parse(s)
		if err != nil || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return nil, fmt.Errorf("%w: %s %q is not an http(s) URL", ErrOption, name, s)
		}
		if (name == "oidc_issuer" || name == "update_url") && p.Scheme == "http" && !loopback(p.Hostname()) {
			return nil, fmt.Errorf("%w: %s %q: plain http is accepted for a loopback host only", ErrOption, name, s)
		}
	}
	return r, nil
}

// loopback reports whether host names this machine (localhost, 127.0.0.0/8, ::1).
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// requireHTTPS is the Outlook generators' extra check.
func (r *resolved) requireHTTPS() error {
	if r.base.Scheme != "https" {
		return fmt.Errorf("%w: got %q", ErrInsecure, r.BaseURL)
	}
	return nil
}

// panelURL is the Outlook task pane page. With an Entra ID client id it
// turns sign-in on (Office SSO, the setting the panel reads from its URL):
// without it every API call would be a 401.
func (r *resolved) panelURL() string {
	u := r.BaseURL + "/panel/" + outlookPage()
	if r.EntraClientID != "" {
		u += "?" + url.Values{"auth": {"sso"}, "clientId": {r.EntraClientID}}.Encode()
	}
	return u
}

// iconURL is where the server serves the icon of that size.
func (r *resolved) iconURL(size int) string {
	return fmt.Sprintf("%s/panel/icons/%s", r.BaseURL, IconName(size))
}

func def(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

// derivedGUID is a name-based UUID (version 5 layout, SHA-1) of the base
// URL, so that a server keeps one add-in id without configuration.
func derivedGUID(name string) string {
	h := sha1.Sum([]byte("plume-addin:" + name))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
