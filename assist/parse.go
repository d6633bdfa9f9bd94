package assist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// errSchema is a schema violation, reported to the model in the retry.
type errSchema struct{ problem string }

func (e *errSchema) Error() string { return "assist: " + e.problem }

// extractJSON returns the first balanced JSON object in s, tolerating code
// fences and text around it.
func extractJSON(s string) (string, error) {
	start := strings.IndexByte(s, '{')
	if start < 0 {
		return "", &errSchema{"no JSON object found"}
	}
	depth, inStr, esc := 0, false, false
	for i := start; i < len(s); i++ {
		c := s[i]
		switch {
		case esc:
			esc = false
		case inStr && c == '\\':
			esc = true
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth == 0 {
				return s[start : i+1], nil
			}
		}
	}
	return "", &errSchema{"unterminated JSON object"}
}

// ParseSummary decodes and validates a model's summary answer against the
// Summary schema: summary is a non-empty string, lists are arrays of the
// declared shapes, due is "" or an ISO date (an unparseable due moves to
// dueText). Errors wrap ErrInvalidOutput.
func ParseSummary(s string) (*Summary, error) {
	obj, err := extractJSON(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOutput, err)
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(obj)))
	var raw struct {
		Summary       *string           `json:"summary"`
		KeyPoints     []string          `json:"keyPoints"`
		Decisions     []string          `json:"decisions"`
		OpenQuestions []string          `json:"openQuestions"`
		ActionItems   []json.RawMessage `json:"actionItems"`
		Participants  []Participant     `json:"participants"`
	}
	if err := dec.Decode(&raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, fmt.Errorf("%w: %w", ErrInvalidOutput, &errSchema{fmt.Sprintf("field %q must be of type %s", te.Field, te.Type)})
		}
		return nil, fmt.Errorf("%w: %w", ErrInvalidOutput, &errSchema{"malformed JSON"})
	}
	if raw.Summary == nil || strings.TrimSpace(*raw.Summary) == "" {
		return nil, fmt.Errorf("%w: %w", ErrInvalidOutput, &errSchema{`field "summary" is missing or empty`})
	}
	out := &Summary{
		Summary:       strings.TrimSpace(*raw.Summary),
		KeyPoints:     nonEmpty(raw.KeyPoints),
		Decisions:     nonEmpty(raw.Decisions),
		OpenQuestions: nonEmpty(raw.OpenQuestions),
		ActionItems:   []ActionItem{},
		Participants:  []Participant{},
	}
	for i, r := range raw.ActionItems {
		var it ActionItem
		if err := json.Unmarshal(r, &it); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidOutput, &errSchema{fmt.Sprintf("actionItems[%d] must be an object with string fields who, what, due, dueText", i)})
		}
		if strings.TrimSpace(it.What) == "" {
			continue
		}
		if it.Due != "" {
			if _, err := time.Parse("2006-01-02", it.Due); err != nil {
				if it.DueText == "" {
					it.DueText = it.Due
				}
				it.Due = ""
			}
		}
		out.ActionItems = append(out.ActionItems, it)
	}
	for _, p := range raw.Participants {
		if strings.TrimSpace(p.Name) != "" {
			out.Participants = append(out.Participants, p)
		}
	}
	return out, nil
}

func nonEmpty(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// schemaProblem is the sentence sent back to the model on a retry.
func schemaProblem(err error) string {
	var se *errSchema
	if errors.As(err, &se) {
		return se.problem
	}
	return "invalid JSON"
}
