package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/plume-admin/plume/manifest"
)

// manifestUsage is the help of `plume manifest`.
const manifestUsage = `usage: plume manifest outlook|unified|thunderbird|all -o DIR [flags]

Writes what administrators deploy in the mail clients:
  outlook      DIR/manifest.xml      Outlook add-in-only XML manifest
  unified      DIR/manifest.json     Microsoft 365 unified manifest
               DIR/outlook-app.zip   its app package (admin center, sideloading)
  thunderbird  DIR/plume.xpi         the Thunderbird extension
  all          all of the above

Values come from the flags, else from the "manifest:" section of --config
(keys as in manifest.Options: base_url, app_id, entra_client_id, …), else
server.public_url for the base URL. Outlook needs an https base URL.

flags:
`

// runManifest is `plume manifest`.
func runManifest(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprint(stderr, manifestUsage)
		return 2
	}
	kind := args[0]
	fset := flag.NewFlagSet("plume manifest", flag.ContinueOnError)
	fset.SetOutput(stderr)
	fset.Usage = func() { fmt.Fprint(stderr, manifestUsage); fset.PrintDefaults() }
	out := fset.String("o", ".", "output folder")
	config := fset.String("config", "", "plume.yaml to read server.public_url and the manifest: section from")
	var o manifest.Options
	fset.StringVar(&o.BaseURL, "base-url", "", "public URL of the Plume server, e.g. https://plume.example.gouv.fr")
	fset.StringVar(&o.AppID, "app-id", "", "Outlook add-in / Microsoft 365 app GUID (default derived from the base URL)")
	fset.StringVar(&o.Version, "version", "", "add-in version (default this binary's version)")
	fset.StringVar(&o.DisplayName, "name", "", `display name (default "Plume")`)
	fset.StringVar(&o.ProviderName, "provider", "", "publisher, e.g. the administration's name")
	fset.StringVar(&o.SupportURL, "support-url", "", "help page URL (default the base URL)")
	fset.StringVar(&o.PrivacyURL, "privacy-url", "", "privacy notice URL (default the support URL)")
	fset.StringVar(&o.TermsURL, "terms-url", "", "terms of use URL (default the support URL)")
	fset.StringVar(&o.MinMailbox, "min-mailbox", "", `Mailbox requirement set (default "1.9")`)
	fset.StringVar(&o.EntraClientID, "entra-client-id", "", "Entra ID application (client) id for nested app authentication")
	fset.StringVar(&o.EntraResource, "entra-resource", "", "Application ID URI (default api://HOST/CLIENT-ID)")
	fset.StringVar(&o.GeckoID, "gecko-id", "", "Thunderbird extension id (default plume@HOST)")
	fset.StringVar(&o.StrictMinVersion, "strict-min-version", "", `oldest Thunderbird accepted (default "128.0")`)
	fset.StringVar(&o.UpdateURL, "update-url", "", "self-hosted Thunderbird update manifest URL")
	fset.StringVar(&o.OIDCIssuer, "oidc-issuer", "", "OpenID Connect issuer for Thunderbird sign-in (e.g. Keycloak realm URL)")
	fset.StringVar(&o.OIDCClientID, "oidc-client-id", "", `public client id for Thunderbird (default "plume-thunderbird")`)
	fset.StringVar(&o.ThunderbirdMode, "thunderbird-mode", "", `how Thunderbird lets the server read mail: "imap" or "raw" (default the panel's, imap)`)
	if err := fset.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fset.NArg() != 0 {
		fmt.Fprintf(stderr, "plume manifest: unexpected arguments %q\n", fset.Args())
		return 2
	}
	if *config != "" {
		base, err := readManifestConfig(*config)
		if err != nil {
			fmt.Fprintln(stderr, "plume:", err)
			return 1
		}
		o = mergeOptions(o, base)
	}
	if o.Version == "" {
		o.Version = version
	}
	var outputs []manifestOutput
	switch kind {
	case "outlook", "unified", "thunderbird":
		outputs = manifestOutputs[kind]
	case "all":
		for _, k := range []string{"outlook", "unified", "thunderbird"} {
			outputs = append(outputs, manifestOutputs[k]...)
		}
	default:
		fmt.Fprintf(stderr, "plume manifest: unknown kind %q\n", kind)
		fmt.Fprint(stderr, manifestUsage)
		return 2
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(stderr, "plume:", err)
		return 1
	}
	for _, w := range outputs {
		b, err := w.gen(o)
		if err != nil {
			fmt.Fprintln(stderr, "plume:", err)
			return 1
		}
		p := filepath.Join(*out, w.file)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			fmt.Fprintln(stderr, "plume:", err)
			return 1
		}
		fmt.Fprintln(stdout, p)
	}
	if kind == "thunderbird" || kind == "all" {
		if u, err := manifest.ThunderbirdRedirectURL(o); err == nil {
			fmt.Fprintln(stderr, "Thunderbird sign-in redirect URI (register it in the OIDC client):", u)
		}
	}
	return 0
}

// manifestOutput is one file written by `plume manifest`.
type manifestOutput struct {
	file string
	gen  func(manifest.Options) ([]byte, error)
}

var manifestOutputs = map[string][]manifestOutput{
	"outlook":     {{"manifest.xml", manifest.Outlook}},
	"unified":     {{"manifest.json", manifest.Unified}, {"outlook-app.zip", manifest.OutlookPackage}},
	"thunderbird": {{"plume.xpi", manifest.Thunderbird}},
}

// readManifestConfig reads the manifest options of plume.yaml: its
// "manifest:" section, with server.public_url as the default base URL.
// Other sections are ignored here; `plume serve` validates them.
func readManifestConfig(path string) (manifest.Options, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return manifest.Options{}, err
	}
	var cfg struct {
		Server struct {
			PublicURL string `yaml:"public_url"`
		} `yaml:"server"`
		Manifest manifest.Options `yaml:"manifest"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		return manifest.Options{}, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Manifest.BaseURL == "" {
		cfg.Manifest.BaseURL = cfg.Server.PublicURL
	}
	return cfg.Manifest, nil
}

// mergeOptions fills the string fields of flags left empty from base.
func mergeOptions(flags, base manifest.Options) manifest.Options {
	pairs := []struct{ dst, src *string }{
		{&flags.BaseURL, &base.BaseURL}, {&flags.DisplayName, &base.DisplayName},
		{&flags.DisplayNameEN, &base.DisplayNameEN}, {&flags.Description, &base.Description},
		{&flags.DescriptionEN, &base.DescriptionEN}, {&flags.Version, &base.Version},
		{&flags.ProviderName, &base.ProviderName}, {&flags.AppID, &base.AppID},
		{&flags.SupportURL, &base.SupportURL}, {&flags.PrivacyURL, &base.PrivacyURL},
		{&flags.TermsURL, &base.TermsURL}, {&flags.MinMailbox, &base.MinMailbox},
		{&flags.EntraClientID, &base.EntraClientID}, {&flags.EntraResource, &base.EntraResource},
		{&flags.GeckoID, &base.GeckoID}, {&flags.StrictMinVersion, &base.StrictMinVersion},
		{&flags.UpdateURL, &base.UpdateURL}, {&flags.OIDCIssuer, &base.OIDCIssuer},
		{&flags.OIDCClientID, &base.OIDCClientID}, {&flags.ThunderbirdMode, &base.ThunderbirdMode},
	}
	for _, p := range pairs {
		if *p.dst == "" {
			*p.dst = *p.src
		}
	}
	if len(flags.EntraScopes) == 0 {
		flags.EntraScopes = base.EntraScopes
	}
	if len(flags.OIDCScopes) == 0 {
		flags.OIDCScopes = base.OIDCScopes
	}
	return flags
}
