package manifest

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/plume-admin/plume/addin/web"
)

const xsiNS = "http://www.w3.org/2001/XMLSchema-instance"

// node is a parsed XML element.
type node struct {
	name, typ string // local name, xsi:type
	attrs     map[string]string
	text      string
	children  []*node
}

func parseXML(t *testing.T, b []byte) *node {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			n := &node{name: tk.Name.Local, attrs: map[string]string{}}
			for _, a := range tk.Attr {
				if a.Name.Space == xsiNS && a.Name.Local == "type" {
					n.typ = a.Value
				} else if a.Name.Space == "" {
					n.attrs[a.Name.Local] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += strings.TrimSpace(string(tk))
			}
		}
	}
	if root == nil || len(stack) != 0 {
		t.Fatalf("manifest.xml is not well-formed XML")
	}
	// A strict decode catches what the token loop tolerates.
	if err := xml.Unmarshal(b, new(struct{})); err != nil {
		t.Fatalf("manifest.xml: %v", err)
	}
	return root
}

// xsdSequences are the child sequences of the Outlook manifest schemas, in
// the order the XSD requires, transcribed from OfficeAppManifestV1_1.xsd,
// MailAppVersionOverridesV1_0/V1_1.xsd and OfficeAppBasicTypesV1_0.xsd as
// published in [MS-OWEMXML] and the office-js-docs schemas. The key is the
// element's local name, with its xsi:type when it has one.
var xsdSequences = map[string][]string{
	"OfficeApp:MailApp": {"Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName",
		"Description", "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts",
		"Requirements", "FormSettings", "Permissions", "Rule", "DisableEntityHighlighting", "VersionOverrides"},
	"DisplayName":                           {"Override"},
	"Description":                           {"Override"},
	"Hosts":                                 {"Host"},
	"Requirements":                          {"Sets"},
	"Sets":                                  {"Set"},
	"FormSettings":                          {"Form"},
	"Form:ItemRead":                         {"DesktopSettings", "TabletSettings", "PhoneSettings"},
	"DesktopSettings":                       {"SourceLocation", "RequestedHeight"},
	"Rule:RuleCollection":                   {"Rule"},
	"VersionOverrides:VersionOverridesV1_0": {"Description", "Requirements", "Hosts", "Resources", "VersionOverrides"},
	"VersionOverrides:VersionOverridesV1_1": {"Description", "Requirements", "Hosts", "Resources", "WebApplicationInfo", "EquivalentAddins", "ConnectedServiceControls", "ExtendedPermissions"},
	"Host:MailHost":                         {"Runtimes", "DesktopFormFactor", "MobileFormFactor"},
	"DesktopFormFactor":                     {"FunctionFile", "ExtensionPoint", "SupportsSharedFolders"},
	"ExtensionPoint:MessageReadCommandSurface": {"OfficeTab", "CustomTab"},
	"OfficeTab":           {"Group"},
	"Group":               {"Label", "Control"},
	"Control:Button":      {"Label", "Supertip", "Icon", "Action"},
	"Supertip":            {"Title", "Description"},
	"Icon":                {"Image"},
	"Action:ShowTaskpane": {"SourceLocation", "SupportsPinning", "SupportsNoItemContext", "SupportsMultiSelect"},
	"Resources":           {"Images", "Urls", "ShortStrings", "LongStrings"},
	"Images":              {"Image"},
	"Urls":                {"Url"},
	"ShortStrings":        {"String"},
	"LongStrings":         {"String"},
	"String":              {"Override"},
	"WebApplicationInfo":  {"Id", "MsaId", "Resource", "Scopes", "Authorizations"},
	"Scopes":              {"Scope"},
}

// repeatable children (maxOccurs > 1); every other child may appear once.
var repeatable = map[string]bool{"Override": true, "Host": true, "Set": true, "Form": true, "Rule": true,
	"ExtensionPoint": true, "OfficeTab": true, "Group": true, "Control": true, "Image": true, "Url": true,
	"String": true, "Scope": true}

func key(n *node) string {
	if n.typ != "" {
		return n.name + ":" + n.typ
	}
	return n.name
}

// checkOrder walks the tree and checks every element's children against
// the schema sequence of its type; it returns the problems found.
func checkOrder(n *node, path string) (problems []string) {
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	path += "/" + key(n)
	if len(n.children) == 0 {
		return nil
	}
	seq, ok := xsdSequences[key(n)]
	if !ok {
		errorf("%s: no schema sequence known for this element: add it from the XSD", path)
		return problems
	}
	last, seen := -1, map[string]int{}
	for _, c := range n.children {
		i := slices.Index(seq, c.name)
		switch {
		case i < 0:
			errorf("%s: <%s> is not a child of <%s> in the schema", path, c.name, n.name)
		case i < last:
			errorf("%s: <%s> comes after <%s>, the schema wants it before", path, c.name, seq[last])
		}
		seen[c.name]++
		if seen[c.name] > 1 && !repeatable[c.name] {
			errorf("%s: <%s> appears %d times", path, c.name, seen[c.name])
		}
		last = max(last, i)
		problems = append(problems, checkOrder(c, path)...)
	}
	return problems
}

func TestOutlookElementOrder(t *testing.T) {
	for _, o := range []Options{testOpts, {BaseURL: testBase}} {
		b, err := Outlook(o)
		if err != nil {
			t.Fatal(err)
		}
		root := parseXML(t, b)
		for _, p := range checkOrder(root, "") {
			t.Error(p)
		}
		for _, req := range []string{"Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "Requirements", "FormSettings", "Rule"} {
			if find(root, req) == nil {
				t.Errorf("required <%s> missing", req)
			}
		}
	}
}

// TestOrderCheckerCatchesSwaps makes sure the order test can fail.
func TestOrderCheckerCatchesSwaps(t *testing.T) {
	b, err := Outlook(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	root := parseXML(t, b)
	vo := find(root, "VersionOverrides")
	vo.children[0], vo.children[1] = vo.children[1], vo.children[0]
	problems := checkOrder(root, "")
	if len(problems) != 1 || !strings.Contains(problems[0], "<Requirements> comes after <Hosts>") {
		t.Fatalf("swapping Requirements and Hosts: got %q", problems)
	}
}

func find(n *node, name string) *node {
	for _, c := range n.children {
		if c.name == name {
			return c
		}
	}
	return nil
}

func walk(n *node, f func(*node)) {
	f(n)
	for _, c := range n.children {
		walk(c, f)
	}
}

func TestOutlookContent(t *testing.T) {
	b, err := Outlook(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	root := parseXML(t, b)
	if root.typ != "MailApp" || find(root, "Permissions").text != "ReadItem" || find(root, "DefaultLocale").text != "fr-FR" {
		t.Fatalf("not a fr-FR ReadItem MailApp: %q %q", root.typ, find(root, "Permissions").text)
	}
	if v := find(root, "Version").text; v != "0.3.1.0" {
		t.Errorf("version %q", v)
	}
	// An Entra client id turns Office SSO on in the pane the manifest opens.
	if src := find(find(find(root, "FormSettings"), "Form"), "DesktopSettings"); src != nil {
		if loc := find(src, "SourceLocation").attrs["DefaultValue"]; !strings.Contains(loc, "auth=sso&clientId="+testOpts.EntraClientID) {
			t.Errorf("pane URL %q does not turn sign-in on", loc)
		}
	} else {
		t.Error("no DesktopSettings/SourceLocation")
	}
	set := find(find(find(root, "Requirements"), "Sets"), "Set")
	if set.attrs["Name"] != "Mailbox" || set.attrs["MinVersion"] != "1.9" {
		t.Errorf("requirement %v", set.attrs)
	}
	vo10 := find(root, "VersionOverrides")
	vo11 := find(vo10, "VersionOverrides")
	if vo10.typ != "VersionOverridesV1_0" || vo11 == nil || vo11.typ != "VersionOverridesV1_1" {
		t.Fatal("VersionOverrides 1.0 with a nested 1.1 expected")
	}
	for _, vo := range []*node{vo10, vo11} {
		pins := 0
		resources := map[string]*node{}
		walk(find(vo, "Resources"), func(n *node) {
			if id := n.attrs["id"]; id != "" {
				resources[id] = n
			}
		})
		walk(find(vo, "Hosts"), func(n *node) {
			if n.name == "SupportsPinning" && n.text == "true" {
				pins++
			}
			if n.typ == "MessageReadCommandSurface" && len(n.children) == 0 {
				t.Error("empty MessageReadCommandSurface")
			}
			if id := n.attrs["resid"]; id != "" {
				if len(id) > 32 {
					t.Errorf("resid %q longer than 32", id)
				}
				if resources[id] == nil {
					t.Errorf("%s: resid %q is not defined in its Resources", vo.typ, id)
				}
			}
		})
		if want := map[string]int{"VersionOverridesV1_0": 0, "VersionOverridesV1_1": 1}[vo.typ]; pins != want {
			t.Errorf("%s: %d pinnable task panes, want %d", vo.typ, pins, want)
		}
		// Every icon in Resources is served by the panel.
		for id, n := range resources {
			if !strings.HasPrefix(id, "Plume.Icon") {
				continue
			}
			assertServedIcon(t, n.attrs["DefaultValue"])
		}
	}
	wai := find(vo11, "WebApplicationInfo")
	if wai == nil || find(wai, "Id").text != testOpts.EntraClientID || !strings.HasPrefix(find(wai, "Resource").text, "api://plume.example.gouv.fr/") {
		t.Fatalf("WebApplicationInfo missing or wrong")
	}
	for _, u := range []string{find(root, "IconUrl").attrs["DefaultValue"], find(root, "HighResolutionIconUrl").attrs["DefaultValue"]} {
		assertServedIcon(t, u)
	}

	// Without an Entra application there is no WebApplicationInfo.
	b, err = Outlook(Options{BaseURL: testBase})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("WebApplicationInfo")) {
		t.Error("WebApplicationInfo written without an Entra client id")
	}
}

// assertServedIcon checks that an icon URL is one the server serves from
// addin/web/static/icons.
func assertServedIcon(t *testing.T, u string) {
	t.Helper()
	rest, ok := strings.CutPrefix(u, testBase+"/panel/")
	if !ok {
		t.Errorf("icon %q is not under the panel", u)
		return
	}
	if _, err := fs.Stat(web.FS, rest); err != nil {
		t.Errorf("icon %q: %s is not in addin/web: %v", u, rest, err)
	}
}

func TestOutlookEscaping(t *testing.T) {
	o := testOpts
	o.ProviderName = `Préfecture "Nord" & <Pas-de-Calais>`
	o.Description = `Résumés & réponses <b>`
	b, err := Outlook(o)
	if err != nil {
		t.Fatal(err)
	}
	root := parseXML(t, b)
	if got := find(root, "ProviderName").text; got != o.ProviderName {
		t.Errorf("provider round trip: %q", got)
	}
	if got := find(root, "Description").attrs["DefaultValue"]; got != o.Description {
		t.Errorf("description round trip: %q", got)
	}
}

// TestOutlookConvertsToValidUnified converts manifest.xml with Microsoft's
// office-addin-manifest-converter and validates the result against the
// app-manifest schema, then checks the conversion kept what matters.
func TestOutlookConvertsToValidUnified(t *testing.T) {
	node, modules := nodeTool(t, "office-addin-manifest-converter")
	dir := t.TempDir()
	b, err := Outlook(testOpts)
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "manifest.xml")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "converted")
	cli := filepath.Join(modules, "office-addin-manifest-converter", "cli.js")
	stdout, ok := runNode(t, node, modules, cli, "convert", in, "-o", out,
		"--schema-version-override", UnifiedVersion, "--schema-override", unifiedSchema)
	if !ok {
		t.Fatalf("converter failed: %s", stdout)
	}
	conv := filepath.Join(out, "manifest.json")
	raw, err := os.ReadFile(conv)
	if err != nil {
		t.Fatalf("converter wrote no manifest.json (%v); its output:\n%s", err, stdout)
	}
	validateJSONSchema(t, "MicrosoftTeams.schema.json", conv)
	if _, err := os.Stat(filepath.Join(out, "en-us.json")); err == nil {
		validateJSONSchema(t, "MicrosoftTeams.Localization.schema.json", filepath.Join(out, "en-us.json"))
	}
	var m unifiedManifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	assertUnifiedSemantics(t, &m, "converted XML")
}

// assertUnifiedSemantics checks what both unified manifests (written by
// Unified, or converted from the XML) must say.
func assertUnifiedSemantics(t *testing.T, m *unifiedManifest, what string) {
	t.Helper()
	if m.ID == "" || m.Localization.DefaultLanguageTag != "fr-fr" {
		t.Errorf("%s: id %q, default language %q", what, m.ID, m.Localization.DefaultLanguageTag)
	}
	if rs := m.Authorization.Permissions.ResourceSpecific; len(rs) != 1 || rs[0].Name != "MailboxItem.Read.User" || rs[0].Type != "Delegated" {
		t.Errorf("%s: permissions %+v", what, rs)
	}
	if m.WebApp == nil || m.WebApp.ID != testOpts.EntraClientID {
		t.Errorf("%s: webApplicationInfo %+v", what, m.WebApp)
	}
	if len(m.Extensions) != 1 {
		t.Fatalf("%s: %d extensions", what, len(m.Extensions))
	}
	ext := m.Extensions[0]
	if len(ext.Requirements.Capabilities) == 0 || ext.Requirements.Capabilities[0].Name != "Mailbox" || ext.Requirements.Capabilities[0].MinVersion != "1.9" {
		t.Errorf("%s: requirements %+v", what, ext.Requirements)
	}
	pinnable, mailRead := false, false
	for _, rt := range ext.Runtimes {
		if rt.Code.Page != testBase+"/panel/"+outlookPage()+"?auth=sso&clientId="+testOpts.EntraClientID {
			t.Errorf("%s: runtime page %q", what, rt.Code.Page)
		}
		for _, a := range rt.Actions {
			pinnable = pinnable || (a.Type == "openPage" && a.Pinnable)
		}
	}
	for _, rb := range ext.Ribbons {
		mailRead = mailRead || slices.Contains(rb.Contexts, "mailRead")
	}
	if !pinnable || !mailRead {
		t.Errorf("%s: pinnable task pane %v, mailRead ribbon %v", what, pinnable, mailRead)
	}
}
