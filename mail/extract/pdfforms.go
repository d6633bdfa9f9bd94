package extract

import (
	"strings"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"golang.org/x/text/unicode/norm"
)

// Form fields, presentation forms and ligatures of a PDF's text.

// normalizePresentation replaces presentation forms (the ligatures ﬁ, ﬀ,
// Arabic forms) by the letters they stand for (NFKC), and the ligatures
// of Word's Calibri that its PDFs map to unrelated letters (see
// calibriLigatures), leaving other characters as they are.
func normalizePresentation(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return isPresentationForm(r) || calibriLigatures[r] != "" }) {
		return s
	}
	var sb strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case isPresentationForm(r):
			sb.WriteString(norm.NFKC.String(string(r)))
		case calibriLigatures[r] != "" && i > 0 && isLowerLatin(rs[i-1]) && (i+1 == len(rs) || isLowerLatin(rs[i+1]) || !unicode.IsLetter(rs[i+1])):
			sb.WriteString(calibriLigatures[r])
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// calibriLigatures are the ligatures of Calibri that Word's PDF export
// maps to letters of African alphabets: "aƩestaƟon" for "attestation".
// They are read as the two letters they draw only after a lower-case
// Latin letter, where those capitals cannot stand.
var calibriLigatures = map[rune]string{
	'Ɵ': "ti", // Ɵ
	'Ʃ': "tt", // Ʃ
}

func isLowerLatin(r rune) bool {
	return unicode.IsLower(r) && unicode.Is(unicode.Latin, r)
}

func isPresentationForm(r rune) bool {
	// not the full-width forms (U+FF00–FFEF): they are the ordinary
	// punctuation of Chinese and Japanese text
	return r >= 0xFB00 && r <= 0xFDFF || r >= 0xFE70 && r <= 0xFEFF
}

// maxFormFields caps the form fields listed for one document.
const maxFormFields = 2000

// formFields lists the filled fields of an AcroForm, labelled by their
// tooltip (the label a form shows) or else their name: "Nom : Dupont",
// "Majeur : coché". Empty and unchecked fields are left out.
func formFields(inst pdfium.Pdfium, pd references.FPDF_DOCUMENT, pages int) ([]string, error) {
	// a document without a form is the rule: reading a page's fields
	// starts a form environment, as costly as reading its text
	ft, err := inst.FPDF_GetFormType(&requests.FPDF_GetFormType{Document: pd})
	if err != nil || ft.FormType == enums.FPDF_FORMTYPE_NONE {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for i := 0; i < pages && len(out) < maxFormFields; i++ {
		page := requests.Page{ByIndex: &requests.PageByIndex{Document: pd, Index: i}}
		if n, err := inst.FPDFPage_GetAnnotCount(&requests.FPDFPage_GetAnnotCount{Page: page}); err != nil {
			return nil, err
		} else if n.Count == 0 {
			continue // fields are widget annotations
		}
		form, err := inst.GetForm(&requests.GetForm{Page: page})
		if err != nil {
			return nil, err
		}
		for _, f := range form.Fields {
			label := strings.TrimSpace(f.ToolTip)
			if label == "" {
				label = strings.TrimSpace(f.Name)
			}
			var value string
			switch f.Type {
			case enums.FPDF_FORMFIELD_TYPE_CHECKBOX, enums.FPDF_FORMFIELD_TYPE_XFA_CHECKBOX:
				if f.IsChecked != nil && *f.IsChecked {
					value = "coché"
				}
			case enums.FPDF_FORMFIELD_TYPE_RADIOBUTTON:
				if f.IsChecked != nil && *f.IsChecked && f.Value != nil {
					value = *f.Value
				}
			case enums.FPDF_FORMFIELD_TYPE_COMBOBOX, enums.FPDF_FORMFIELD_TYPE_LISTBOX:
				value = strings.Join(f.Values, ", ")
			case enums.FPDF_FORMFIELD_TYPE_PUSHBUTTON, enums.FPDF_FORMFIELD_TYPE_SIGNATURE:
			default:
				if f.Value != nil {
					value = *f.Value
				}
			}
			value = strings.Join(strings.Fields(value), " ")
			line := "- " + label + " : " + value
			if value == "" || seen[line] {
				continue
			}
			seen[line] = true
			out = append(out, line)
		}
	}
	return out, nil
}
