package manifest

import (
	"crypto/sha1"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/plume-admin/plume/addin/thunderbird"
	"github.com/plume-admin/plume/addin/web"
)

// Layout of plume.xpi (see docs/contracts.md, "Thunderbird extension").
const (
	// PanelDir is the folder of the .xpi holding the panel's files (web.FS).
	PanelDir = "panel"
	// ConfigJSON is the generated configuration, at the .xpi's root.
	ConfigJSON = "config.json"
	// ConfigJS is an ES module whose default export is the same object
	// (the panel imports it).
	ConfigJS = "config.js"
	// popupName is the popup page the panel engineer provides.
	popupName = "thunderbird.html"
	// bannerScript and bannerStyle are the message display script of the
	// « Plume » banner and its style, in the extension's own files.
	bannerScript = "display/banner.js"
	bannerStyle  = "display/banner.css"
	// outlookName is the panel's Outlook task pane page; it loads office.js
	// from Microsoft's CDN and is left out of the .xpi.
	outlookName = "outlook.html"
)

// outlookPage is the panel page Outlook opens: outlook.html, or index.html
// if the panel has no Outlook page.
func outlookPage() string {
	if exists(web.FS, outlookName) {
		return outlookName
	}
	return "index.html"
}

// thunderbirdIcons are the icon sizes packaged in the extension.
var thunderbirdIcons = []int{16, 32, 48, 64, 96, 128}

// ThunderbirdManifest returns the MailExtension's manifest.json (manifest
// version 3): the gecko id and strict_min_version, the message display
// action whose popup is the panel, the background script, the « Plume »
// banner's message display script, the permissions messagesRead, menus,
// compose, storage, accountsRead and messagesModify (plus identity when an
// OIDC issuer is configured), and the host permission for the server.
func ThunderbirdManifest(opts Options) ([]byte, error) {
	r, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	return marshalJSON(r.thunderbird(thunderbird.FS, web.FS))
}

// Thunderbird returns plume.xpi, the packaged Thunderbird extension: a zip
// whose root holds manifest.json, the extension's own files
// (addin/thunderbird), the panel under panel/ (addin/web, without the
// Outlook-only outlook.html), config.json and config.js with the server
// URL, the _locales and the icons.
func Thunderbird(opts Options) ([]byte, error) {
	r, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	return r.xpi(thunderbird.FS, web.FS)
}

// The MailExtension manifest's shape; field order is the output order.
type (
	tbManifest struct {
		ManifestVersion  int               `json:"manifest_version"`
		Name             string            `json:"name"`
		Description      string            `json:"description"`
		Version          string            `json:"version"`
		Author           string            `json:"author"`
		HomepageURL      string            `json:"homepage_url"`
		DefaultLocale    string            `json:"default_locale"`
		Specific         tbSpecific        `json:"browser_specific_settings"`
		Icons            map[string]string `json:"icons"`
		Background       *tbBackground     `json:"background,omitempty"`
		Action           tbAction          `json:"message_display_action"`
		DisplayScripts   []tbDisplayScript `json:"message_display_scripts,omitempty"`
		Permissions      []string          `json:"permissions"`
		HostPermissions  []string          `json:"host_permissions"`
		ContentSecPolicy *tbCSP            `json:"content_security_policy,omitempty"`
	}
	tbSpecific struct {
		Gecko tbGecko `json:"gecko"`
	}
	tbGecko struct {
		ID               string `json:"id"`
		StrictMinVersion string `json:"strict_min_version"`
		UpdateURL        string `json:"update_url,omitempty"`
	}
	tbBackground struct {
		Scripts []string `json:"scripts"`
		Type    string   `json:"type"`
	}
	tbAction struct {
		DefaultPopup string `json:"default_popup"`
		DefaultTitle string `json:"default_title"`
		// DefaultLabel is the button's visible text; "" shows the icon
		// alone, the title staying its tooltip and accessible name.
		DefaultLabel string            `json:"default_label"`
		DefaultIcon  map[string]string `json:"default_icon"`
	}
	// tbDisplayScript is a message display script declared in the
	// manifest (Thunderbird 151 and later; older versions ignore the key).
	tbDisplayScript struct {
		JS  []string `json:"js"`
		CSS []string `json:"css,omitempty"`
	}
	tbCSP struct {
		ExtensionPages string `json:"extension_pages"`
	}
)

// thunderbird builds manifest.json from the options and the files present.
func (r *resolved) thunderbird(ext, panel fs.FS) *tbManifest {
	icons := map[string]string{}
	for _, s := range thunderbirdIcons {
		icons[fmt.Sprint(s)] = "icons/" + IconName(s)
	}
	m := &tbManifest{
		ManifestVersion: 3,
		Name:            "__MSG_extensionName__",
		Description:     "__MSG_extensionDescription__",
		Version:         r.Version,
		Author:          r.ProviderName,
		HomepageURL:     r.SupportURL,
		DefaultLocale:   "fr",
		Specific:        tbSpecific{tbGecko{ID: r.GeckoID, StrictMinVersion: r.StrictMinVersion, UpdateURL: r.UpdateURL}},
		Icons:           icons,
		Action: tbAction{
			DefaultPopup: popupPath(ext, panel),
			DefaultTitle: "__MSG_actionTitle__",
			// Icon only: with its 140-px « Assistant Plume » label the button
			// was the header toolbar's seventh item and wrapped to a second
			// row whenever Thunderbird shows both « Répondre » and
			// « Répondre à tous » (a mail to several people, like the demo's
			// DIFFUSION RESTREINTE note), at the default window size.
			DefaultLabel: "",
			DefaultIcon:  map[string]string{"16": icons["16"], "32": icons["32"]},
		},
		Permissions:     []string{"accountsRead", "compose", "menus", "messagesRead", "storage"},
		HostPermissions: []string{r.BaseURL + "/*"},
	}
	if exists(ext, "background.js") {
		m.Background = &tbBackground{Scripts: []string{"background.js"}, Type: "module"}
	}
	if exists(ext, bannerScript) {
		// The « Plume » banner at the top of each displayed message; the
		// background answers it, so both are needed.
		d := tbDisplayScript{JS: []string{bannerScript}}
		if exists(ext, bannerStyle) {
			d.CSS = []string{bannerStyle}
		}
		m.DisplayScripts = []tbDisplayScript{d}
		m.Permissions = append(m.Permissions, "messagesModify")
	}
	if r.OIDCIssuer != "" {
		m.Permissions = append(m.Permissions, "identity")
	}
	if r.base.Scheme == "http" {
		// The default MV3 policy upgrades http requests to https, which
		// the demo server on http://127.0.0.1 does not speak.
		m.ContentSecPolicy = &tbCSP{ExtensionPages: "script-src 'self'"}
	}
	return m
}

// popupPath is the popup page: thunderbird.html from the extension's own
// files, else from the panel, else the panel's index.html.
func popupPath(ext, panel fs.FS) string {
	switch {
	case exists(ext, popupName):
		return popupName
	case exists(panel, popupName):
		return PanelDir + "/" + popupName
	default:
		return PanelDir + "/index.html"
	}
}

func exists(fsys fs.FS, name string) bool {
	if fsys == nil {
		return false
	}
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// thunderbirdConfig is config.json and the default export of config.js:
// what the extension needs to reach the server (read by the panel's
// js/hosts/thunderbird.js).
type thunderbirdConfig struct {
	Server  string      `json:"server"`
	APIBase string      `json:"apiBase"`
	Version string      `json:"version"`
	Mode    string      `json:"mode,omitempty"`
	OIDC    *oidcConfig `json:"oidc,omitempty"`
}

type oidcConfig struct {
	Issuer   string `json:"issuer"`
	ClientID string `json:"clientId"`
	Scope    string `json:"scope"`
}

func (r *resolved) thunderbirdConfig() *thunderbirdConfig {
	c := &thunderbirdConfig{Server: r.BaseURL, APIBase: r.BaseURL + "/api/v1", Version: r.Version, Mode: r.ThunderbirdMode}
	if r.OIDCIssuer != "" {
		c.OIDC = &oidcConfig{Issuer: r.OIDCIssuer, ClientID: r.OIDCClientID, Scope: strings.Join(r.OIDCScopes, " ")}
	}
	return c
}

// locales are the _locales/*/messages.json strings.
func (r *resolved) locales() map[string]map[string]string {
	return map[string]map[string]string{
		"fr": {"extensionName": r.DisplayName, "extensionDescription": r.Description, "actionTitle": buttonLabel[0]},
		"en": {"extensionName": r.DisplayNameEN, "extensionDescription": r.DescriptionEN, "actionTitle": buttonLabel[1]},
	}
}

// xpi packs the extension.
func (r *resolved) xpi(ext, panel fs.FS) ([]byte, error) {
	files := map[string][]byte{}
	add := func(fsys fs.FS, prefix string) error {
		if fsys == nil {
			return nil
		}
		return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if prefix == "" && (p == "manifest.json" || p == ConfigJSON || p == ConfigJS) {
				return nil // generated here
			}
			if prefix == PanelDir && p == outlookName {
				return nil // Outlook only
			}
			if strings.HasPrefix(path.Base(p), ".") {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				return err
			}
			files[path.Join(prefix, p)] = b
			return nil
		})
	}
	if err := add(ext, ""); err != nil {
		return nil, fmt.Errorf("manifest: thunderbird files: %w", err)
	}
	if err := add(panel, PanelDir); err != nil {
		return nil, fmt.Errorf("manifest: panel files: %w", err)
	}
	m, err := marshalJSON(r.thunderbird(ext, panel))
	if err != nil {
		return nil, err
	}
	files["manifest.json"] = m
	cfg, err := marshalJSON(r.thunderbirdConfig())
	if err != nil {
		return nil, err
	}
	files[ConfigJSON] = cfg
	files[ConfigJS] = []byte("// Generated by Plume: the server this extension talks to.\nexport const config = Object.freeze(" + strings.TrimSpace(string(cfg)) + ");\nexport default config;\n")
	for lang, msgs := range r.locales() {
		out := map[string]map[string]string{}
		for k, v := range msgs {
			out[k] = map[string]string{"message": v}
		}
		b, err := marshalJSON(out)
		if err != nil {
			return nil, err
		}
		files["_locales/"+lang+"/messages.json"] = b
	}
	for _, s := range thunderbirdIcons {
		b, err := Icon(s)
		if err != nil {
			return nil, err
		}
		files["icons/"+IconName(s)] = b
	}
	return zipFiles(files)
}

// ThunderbirdRedirectURL is what browser.identity.getRedirectURL() returns
// in the extension: https://{hex SHA-1 of the gecko id}.extensions.allizom.org/.
// Register it as the redirect URI of the extension's OIDC client (Keycloak).
func ThunderbirdRedirectURL(opts Options) (string, error) {
	r, err := opts.resolve()
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("https://%x.extensions.allizom.org/", sha1.Sum([]byte(r.GeckoID))), nil
}
