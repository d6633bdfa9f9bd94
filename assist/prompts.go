package assist

import (
	"embed"
	"fmt"
	"strings"
	"text/template"
)

//go:embed prompts/VERSION prompts/fr/*.tmpl prompts/en/*.tmpl
var promptFS embed.FS

// PromptVersion is the version of the embedded prompts; it is part of every
// cache key, so changing a prompt file and this version invalidates results.
var PromptVersion = strings.TrimSpace(mustRead("prompts/VERSION"))

var promptTemplates = loadPrompts()

func mustRead(name string) string {
	b, err := promptFS.ReadFile(name)
	if err != nil {
		panic("assist: embedded prompt missing: " + name)
	}
	return string(b)
}

func loadPrompts() map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, lang := range []string{"fr", "en"} {
		entries, err := promptFS.ReadDir("prompts/" + lang)
		if err != nil {
			panic("assist: embedded prompts unreadable: " + err.Error())
		}
		for _, e := range entries {
			name := strings.TrimSuffix(e.Name(), ".tmpl")
			t := template.New(lang + "/" + name).Option("missingkey=error")
			t = template.Must(t.Parse(mustRead("prompts/" + lang + "/" + e.Name())))
			out[lang+"/"+name] = t
		}
	}
	return out
}

// promptData is what the prompt templates read.
type promptData struct {
	Boundary, LanguageName, LengthHint, Data string
	Sentences                                string
	Cut                                      bool
	// reply
	Author, Addressee, KindHint, ToneHint, Appellation, Closing, Signature, Instructions string
	// document
	Name        string
	Part, Parts int
	// action
	Label string
	// repair
	Problem string
	// ask
	Question string
	// draft (courrier, note)
	DraftKind, To string
}

// render executes one embedded prompt template.
func render(lang, name string, d promptData) (string, error) {
	t, ok := promptTemplates[lang+"/"+name]
	if !ok {
		return "", fmt.Errorf("assist: no prompt %s/%s", lang, name)
	}
	if d.LanguageName == "" {
		d.LanguageName = languageName(lang)
	}
	var sb strings.Builder
	if err := t.Execute(&sb, d); err != nil {
		return "", fmt.Errorf("assist: prompt %s/%s: %w", lang, name, err)
	}
	return sb.String(), nil
}

func languageName(lang string) string {
	if lang == "en" {
		return "English"
	}
	return "français"
}

// dataTag is the name of the delimiting tag of untrusted blocks.
func dataTag(lang string) string {
	if lang == "en" {
		return "data"
	}
	return "donnees"
}

var lengthHints = map[string]map[string]string{
	"fr": {"short": "courte (l'essentiel seulement)", "standard": "moyenne", "detailed": "détaillée"},
	"en": {"short": "short (the essentials only)", "standard": "medium", "detailed": "detailed"},
}

var summarySentences = map[string]string{"short": "3", "standard": "4-5", "detailed": "6"}
