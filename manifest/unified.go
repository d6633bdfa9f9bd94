package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// UnifiedVersion is the Microsoft 365 app manifest schema version written by
// [Unified], the newest shipped in npm @microsoft/app-manifest when written.
const UnifiedVersion = "1.30"

// unifiedSchema is the published schema URL of that version.
const unifiedSchema = "https://developer.microsoft.com/json-schemas/teams/v" + UnifiedVersion + "/MicrosoftTeams.schema.json"

// localizationSchema is the schema of the en-us.json localization file.
const localizationSchema = "https://developer.microsoft.com/json-schemas/teams/v" + UnifiedVersion + "/MicrosoftTeams.Localization.schema.json"

// Unified returns the Microsoft 365 unified JSON manifest (manifest.json)
// for Outlook: a mailRead ribbon button that opens Plume's task pane
// (TaskPaneRuntime, pinnable), the MailboxItem.Read.User permission, French
// strings by default and English ones in en-us.json (see [OutlookPackage]).
func Unified(opts Options) ([]byte, error) {
	r, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	if err := r.requireHTTPS(); err != nil {
		return nil, err
	}
	return marshalJSON(r.unified())
}

// The manifest's shape, restricted to what Plume writes; field order is the
// order of the output.
type (
	unifiedManifest struct {
		Schema          string           `json:"$schema"`
		ManifestVersion string           `json:"manifestVersion"`
		Version         string           `json:"version"`
		ID              string           `json:"id"`
		Localization    localizationInfo `json:"localizationInfo"`
		Developer       developer        `json:"developer"`
		Name            nameInfo         `json:"name"`
		Description     descriptionInfo  `json:"description"`
		Icons           iconsInfo        `json:"icons"`
		AccentColor     string           `json:"accentColor"`
		ValidDomains    []string         `json:"validDomains"`
		WebApp          *webAppInfo      `json:"webApplicationInfo,omitempty"`
		Authorization   authorization    `json:"authorization"`
		Extensions      []extension      `json:"extensions"`
	}
	localizationInfo struct {
		DefaultLanguageTag  string         `json:"defaultLanguageTag"`
		AdditionalLanguages []languageFile `json:"additionalLanguages"`
	}
	languageFile struct {
		LanguageTag string `json:"languageTag"`
		File        string `json:"file"`
	}
	developer struct {
		Name          string `json:"name"`
		WebsiteURL    string `json:"websiteUrl"`
		PrivacyURL    string `json:"privacyUrl"`
		TermsOfUseURL string `json:"termsOfUseUrl"`
	}
	nameInfo struct {
		Short string `json:"short"`
		Full  string `json:"full"`
	}
	descriptionInfo struct {
		Short string `json:"short"`
		Full  string `json:"full"`
	}
	iconsInfo struct {
		Color   string `json:"color"`
		Outline string `json:"outline"`
	}
	webAppInfo struct {
		ID       string `json:"id"`
		Resource string `json:"resource"`
	}
	authorization struct {
		Permissions struct {
			ResourceSpecific []permission `json:"resourceSpecific"`
		} `json:"permissions"`
	}
	permission struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	extension struct {
		Requirements requirements `json:"requirements"`
		Runtimes     []runtime    `json:"runtimes"`
		Ribbons      []ribbon     `json:"ribbons"`
	}
	requirements struct {
		Capabilities []capability `json:"capabilities,omitempty"`
		Scopes       []string     `json:"scopes,omitempty"`
		FormFactors  []string     `json:"formFactors,omitempty"`
	}
	capability struct {
		Name       string `json:"name"`
		MinVersion string `json:"minVersion"`
	}
	runtime struct {
		Requirements *requirements `json:"requirements,omitempty"`
		ID           string        `json:"id"`
		Type         string        `json:"type"`
		Code         struct {
			Page string `json:"page"`
		} `json:"code"`
		Lifetime string   `json:"lifetime"`
		Actions  []action `json:"actions"`
	}
	action struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		DisplayName string `json:"displayName"`
		Pinnable    bool   `json:"pinnable"`
		View        string `json:"view"`
	}
	ribbon struct {
		Contexts []string `json:"contexts"`
		Tabs     []tab    `json:"tabs"`
	}
	tab struct {
		BuiltInTabID string  `json:"builtInTabId"`
		Groups       []group `json:"groups"`
	}
	group struct {
		ID       string    `json:"id"`
		Label    string    `json:"label"`
		Icons    []icon    `json:"icons"`
		Controls []control `json:"controls"`
	}
	control struct {
		ID       string   `json:"id"`
		Type     string   `json:"type"`
		Label    string   `json:"label"`
		Icons    []icon   `json:"icons"`
		Supertip supertip `json:"supertip"`
		ActionID string   `json:"actionId"`
	}
	icon struct {
		Size int    `json:"size"`
		URL  string `json:"url"`
	}
	supertip struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	}
)

// Identifiers inside the unified manifest.
const (
	runtimeID = "TaskPaneRuntime"
	actionID  = "ShowPlumePane"
)

// ribbonIcons are the ribbon icon sizes (16, 32 and 80 are required).
var ribbonIcons = []int{16, 20, 24, 32, 40, 48, 64, 80}

func (r *resolved) unified() *unifiedManifest {
	icons := make([]icon, 0, len(ribbonIcons))
	for _, s := range ribbonIcons {
		icons = append(icons, icon{Size: s, URL: r.iconURL(s)})
	}
	m := &unifiedManifest{
		Schema:          unifiedSchema,
		ManifestVersion: UnifiedVersion,
		Version:         r.version3,
		ID:              r.AppID,
		Localization: localizationInfo{
			DefaultLanguageTag:  "fr-fr",
			AdditionalLanguages: []languageFile{{LanguageTag: "en-us", File: "en-us.json"}},
		},
		Developer:    developer{Name: truncate(r.ProviderName, 32), WebsiteURL: r.SupportURL, PrivacyURL: r.PrivacyURL, TermsOfUseURL: r.TermsURL},
		Name:         nameInfo{Short: r.DisplayName, Full: r.DisplayName},
		Description:  descriptionInfo{Short: r.Description, Full: r.Description},
		Icons:        iconsInfo{Color: "color.png", Outline: "outline.png"},
		AccentColor:  AccentColor,
		ValidDomains: []string{r.base.Host},
		Extensions: []extension{{
			Requirements: requirements{
				Capabilities: []capability{{Name: "Mailbox", MinVersion: r.MinMailbox}},
				Scopes:       []string{"mail"},
			},
			Runtimes: []runtime{{
				Requirements: &requirements{Capabilities: []capability{{Name: "Mailbox", MinVersion: maxVersion(r.MinMailbox, "1.5")}}},
				ID:           runtimeID,
				Type:         "general",
				Lifetime:     "short",
				Actions:      []action{{ID: actionID, Type: "openPage", DisplayName: buttonTitle[0], Pinnable: true, View: "PlumePane"}},
			}},
			Ribbons: []ribbon{{
				Contexts: []string{"mailRead"},
				Tabs: []tab{{
					BuiltInTabID: "TabDefault",
					Groups: []group{{
						ID:    "plumeReadGroup",
						Label: groupLabel[0],
						Icons: icons,
						Controls: []control{{
							ID:       "plumeOpenPane",
							Type:     "button",
							Label:    buttonLabel[0],
							Icons:    icons,
							Supertip: supertip{Title: buttonTitle[0], Description: buttonSuper[0]},
							ActionID: actionID,
						}},
					}},
				}},
			}},
		}},
	}
	m.Extensions[0].Runtimes[0].Code.Page = r.panelURL()
	m.Authorization.Permissions.ResourceSpecific = []permission{{Name: "MailboxItem.Read.User", Type: "Delegated"}}
	if r.EntraClientID != "" {
		m.WebApp = &webAppInfo{ID: r.EntraClientID, Resource: r.EntraResource}
	}
	return m
}

// unifiedEnglish returns en-us.json, the English strings of the manifest.
func (r *resolved) unifiedEnglish() ([]byte, error) {
	const ctl = "extensions[0].ribbons[0].tabs[0].groups[0].controls[0]"
	return marshalJSON(map[string]string{
		"$schema":           localizationSchema,
		"name.short":        r.DisplayNameEN,
		"name.full":         r.DisplayNameEN,
		"description.short": r.DescriptionEN,
		"description.full":  r.DescriptionEN,
		"extensions[0].runtimes[0].actions[0].displayName": buttonTitle[1],
		"extensions[0].ribbons[0].tabs[0].groups[0].label": groupLabel[1],
		ctl + ".label":                buttonLabel[1],
		ctl + ".supertip.title":       buttonTitle[1],
		ctl + ".supertip.description": buttonSuper[1],
	})
}

// marshalJSON is indented JSON with a final newline and without HTML escaping.
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("manifest: json: %w", err)
	}
	return b.Bytes(), nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
