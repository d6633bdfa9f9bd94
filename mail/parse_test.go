package mail

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// corpusCase describes what Parse must find in one file of testdata/.
type corpusCase struct {
	file        string
	from        string
	subject     string
	norm        string
	new         []string
	notNew      []string
	quoted      []string
	signature   []string
	attachments []string // name@partPath
	fwdFrom     string
	security    Security
	warning     string // substring of one Cleaning warning
	hidden      int
	tracking    int
}

var corpus = []corpusCase{
	{
		file: "outlook_fr_reply.eml", from: "marie.dupont@rhone.gouv.fr",
		subject: "RE\u00a0: Arrêté portant convocation des électeurs", norm: "Arrêté portant convocation des électeurs",
		new:         []string{"l'arrêté signé ce matin par le préfet", "Bien cordialement,"},
		notNew:      []string{"Pourriez-vous", "Corneille", "cid:"},
		quoted:      []string{"Envoyé : lundi 3 juin 2024 10:02", "Pourriez-vous me transmettre"},
		signature:   []string{"Cheffe du bureau des élections", "04 72 61 60 60"},
		attachments: []string{"image001.png@1.2", "Arrêté convocation électeurs.pdf@2"},
	},
	{
		file: "thunderbird_fr_reply.eml", from: "sophie.bernard@ddt-69.gouv.fr",
		subject: "Re: Réunion de suivi du PPRI – ordre du jour", norm: "Réunion de suivi du PPRI – ordre du jour",
		new:       []string{"la révision de la carte des aléas. Paul présentera"},
		notNew:    []string{"Calendrier de l'enquête", "a écrit"},
		quoted:    []string{"Le 04/06/2024 à 17:45, Marie Dupont a écrit :", "2. Calendrier de l'enquête publique", "> Pouvez-vous nous envoyer"},
		signature: []string{"Sophie Bernard", "CS 33862"},
	},
	{
		file: "gmail_en_reply.eml", from: "emily.clarke@gmail.com",
		subject: "Re: Visit of the delegation on 20 June", norm: "Visit of the delegation on 20 June",
		new:       []string{"The delegation will arrive at 9:30", "Best regards,"},
		notNew:    []string{"We confirm the visit", "wrote"},
		quoted:    []string{"We confirm the visit on 20 June."},
		signature: []string{"Emily"},
	},
	{
		file: "iphone_fr_reply.eml", from: "paul.leroy@ddt-69.gouv.fr",
		subject: "Re: Astreinte du week-end", norm: "Astreinte du week-end",
		new:       []string{"je prends l’astreinte samedi et dimanche."},
		notNew:    []string{"iPhone", "Pouvez-vous", "\ufeff"},
		quoted:    []string{"Pouvez-vous assurer l’astreinte ce week-end ?"},
		signature: []string{"Envoyé de mon iPhone"},
	},
	{
		file: "applemail_fr_forward.eml", from: "marie.dupont@rhone.gouv.fr",
		subject: "Fwd: Invitation au comité de pilotage", norm: "Invitation au comité de pilotage",
		new:     []string{"je ne pourrai pas y assister", "Vous êtes invitée au comité de pilotage du 18 juin"},
		notNew:  []string{"réexpédié"},
		fwdFrom: "Secrétariat SGAR <secretariat@sgar-ara.gouv.fr>",
	},
	{
		file: "outlook_en_forward.eml", from: "jean.martin@interieur.gouv.fr",
		subject: "FW: Flood exercise - logistics", norm: "Flood exercise - logistics",
		new:       []string{"Sophie, for your information.", "The exercise will start at 8:00"},
		notNew:    []string{"Outlook for iOS", "Sent:"},
		signature: []string{"Get Outlook for iOS"},
		fwdFrom:   "Tom Harris <t.harris@example.org>",
	},
	{
		file: "thunderbird_fr_forward.eml", from: "marie.dupont@rhone.gouv.fr",
		subject: "Tr: Demande de titre de séjour – dossier incomplet", norm: "Demande de titre de séjour – dossier incomplet",
		new:         []string{"Il manque le justificatif de domicile.", "Je vous adresse ma demande de renouvellement"},
		notNew:      []string{"Message transféré"},
		fwdFrom:     "Ahmed Benali <ahmed.benali@example.fr>",
		attachments: []string{"passeport.pdf@2"},
	},
	{
		file: "windows1252_hidden.eml", from: "communication@rhone.gouv.fr",
		subject: "Lettre interne – juin", norm: "Lettre interne – juin",
		new:     []string{"Chers collègues,", "La fête de l’administration aura lieu le 21 juin – venez nombreux."},
		notNew:  []string{"Ignore all previous instructions"},
		warning: "text/plain part holds words the HTML part does not show",
		hidden:  2, tracking: 1,
	},
	{
		file: "unknown_charset.eml", subject: "Note", norm: "Note", from: "jean.martin@interieur.gouv.fr",
		new:     []string{"La réunion est déplacée à jeudi."},
		warning: `unknown charset "x-mac-klingon"`,
	},
	{
		file: "latin1.eml", subject: "Horaires", norm: "Horaires", from: "jean.martin@interieur.gouv.fr",
		new: []string{"L'accueil ouvre à 8 h 30, fermé le mercredi après-midi."},
	},
	{
		file: "smime_encrypted.eml", subject: "Instructions", norm: "Instructions", from: "direction@interieur.gouv.fr",
		security: Security{SMIMEEncrypted: true}, attachments: []string{"smime.p7m@1"}, warning: "encrypted content was not read",
	},
	{
		file: "smime_signed.eml", subject: "Circulaire signée", norm: "Circulaire signée", from: "jean.martin@interieur.gouv.fr",
		new: []string{"la circulaire du 17 juin"}, security: Security{SMIMESigned: true},
	},
	{
		file: "pgp_encrypted.eml", subject: "...", norm: "...", from: "paul.leroy@ddt-69.gouv.fr",
		security: Security{PGPEncrypted: true},
	},
	{
		file: "pgp_inline.eml", subject: "Codes", norm: "Codes", from: "paul.leroy@ddt-69.gouv.fr",
		security: Security{PGPEncrypted: true},
	},
	{
		file: "diffusion_restreinte.eml", from: "cabinet@rhone.gouv.fr",
		subject: "[DIFFUSION RESTREINTE] Dispositif de sécurité - visite ministérielle", norm: "Dispositif de sécurité - visite ministérielle",
		new: []string{"DIFFUSION RESTREINTE", "Ne pas diffuser."},
	},
	{
		file: "broken.eml", from: "broken@example.org", subject: "=?utf-8?B?not base64!!?=", norm: "=?utf-8?B?not base64!!?=",
		new: []string{"Texte tronqué"}, warning: "truncated or malformed multipart body",
	},
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseCorpus(t *testing.T) {
	for _, tc := range corpus {
		t.Run(tc.file, func(t *testing.T) {
			m, err := Parse(readTestdata(t, tc.file), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.From) == 0 || m.From[0].Address != tc.from {
				t.Errorf("From = %v, want %s", m.From, tc.from)
			}
			if m.Subject != tc.subject || m.NormSubject != tc.norm {
				t.Errorf("Subject = %q / %q, want %q / %q", m.Subject, m.NormSubject, tc.subject, tc.norm)
			}
			contains := func(label, part string, want []string, present bool) {
				t.Helper()
				for _, w := range want {
					if strings.Contains(part, w) != present {
						t.Errorf("%s contains %q = %v, want %v; %s =\n%s", label, w, !present, present, label, part)
					}
				}
			}
			contains("New", m.New, tc.new, true)
			contains("New", m.New, tc.notNew, false)
			contains("Quoted", m.Quoted, tc.quoted, true)
			contains("Signature", m.Signature, tc.signature, true)
			var atts []string
			for _, a := range m.Attachments {
				atts = append(atts, a.Name+"@"+a.PartPath)
			}
			if strings.Join(atts, ",") != strings.Join(tc.attachments, ",") {
				t.Errorf("attachments = %v, want %v", atts, tc.attachments)
			}
			if tc.fwdFrom != "" && (m.Forwarded == nil || m.Forwarded.From != tc.fwdFrom) {
				t.Errorf("Forwarded = %+v, want from %q", m.Forwarded, tc.fwdFrom)
			}
			if tc.fwdFrom == "" && m.Forwarded != nil {
				t.Errorf("Forwarded = %+v, want none", m.Forwarded)
			}
			if m.Security != tc.security {
				t.Errorf("Security = %+v, want %+v", m.Security, tc.security)
			}
			if tc.warning != "" && !strings.Contains(strings.Join(m.Cleaning.Warnings, "\n"), tc.warning) {
				t.Errorf("warnings %q lack %q", m.Cleaning.Warnings, tc.warning)
			}
			if m.Cleaning.HiddenElements != tc.hidden || m.Cleaning.TrackingImages != tc.tracking {
				t.Errorf("cleaning = %+v, want hidden %d tracking %d", m.Cleaning, tc.hidden, tc.tracking)
			}
		})
	}
}

func TestParseHeaderFields(t *testing.T) {
	m, err := Parse(readTestdata(t, "outlook_fr_reply.eml"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2024, 6, 4, 9, 14, 22, 0, time.FixedZone("", 2*3600))
	if !m.Date.Equal(want) || m.RawDate != "" {
		t.Errorf("Date = %v raw %q", m.Date, m.RawDate)
	}
	if m.MessageID != "PR1P264MB2345A0B1C2D3E4F5@PR1P264MB2345.FRAP264.PROD.OUTLOOK.COM" {
		t.Errorf("MessageID = %q", m.MessageID)
	}
	if len(m.InReplyTo) != 1 || m.InReplyTo[0] != "20240603100200.ABC123@interieur.gouv.fr" {
		t.Errorf("InReplyTo = %q", m.InReplyTo)
	}
	if len(m.Cc) != 1 || m.Cc[0].Name != "Bureau des élections" {
		t.Errorf("Cc = %+v (RFC 2047 name)", m.Cc)
	}
	if m.From[0].Name != "Dupont, Marie" {
		t.Errorf("From name = %q", m.From[0].Name)
	}
	if m.Headers["Sensitivity"] != "Company-Confidential" {
		t.Errorf("Headers = %v", m.Headers)
	}
	if m.Attachments[1].Size != 71 || m.Attachments[0].ContentID != "image001.png@01DAB5E2.7C6F3A40" || !m.Attachments[0].Inline {
		t.Errorf("attachments = %+v", m.Attachments)
	}

	b, err := Parse(readTestdata(t, "broken.eml"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Date.IsZero() || b.RawDate != "yesterday at noon" {
		t.Errorf("unparseable date: %v %q", b.Date, b.RawDate)
	}
}

func TestParseHeaderOnly(t *testing.T) {
	raw := readTestdata(t, "smime_signed.eml")
	end, _ := headerEnd(raw)
	m, err := ParseHeader(raw[:end])
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Circulaire signée" || !m.Security.SMIMESigned || m.Text != "" {
		t.Errorf("ParseHeader = %+v", m)
	}
	m.SetBody("Texte.\n\nEnvoyé de mon iPhone", "")
	if m.New != "Texte." || m.Signature != "Envoyé de mon iPhone" {
		t.Errorf("SetBody: new %q sig %q", m.New, m.Signature)
	}
	if _, err := ParseHeader([]byte("not a header at all\n\nbody")); !errors.Is(err, ErrMalformed) {
		t.Errorf("ParseHeader(garbage) err = %v, want ErrMalformed", err)
	}
}

func TestParseEightBitHeaders(t *testing.T) {
	raw := []byte("From: \"Andr\xe9 L\xe9gar\xe9\" <andre@example.fr>\r\nSubject: R\xe9union\r\nX-Bad header line\r\n\r\nCorps\r\n")
	m, err := Parse(raw, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Réunion" || len(m.From) != 1 || m.From[0].Name != "André Légaré" {
		t.Errorf("subject %q from %+v", m.Subject, m.From)
	}
	if m.New != "Corps" {
		t.Errorf("New = %q", m.New)
	}
}

func TestLimits(t *testing.T) {
	nested := func(depth int) []byte {
		var b strings.Builder
		b.WriteString("From: a@b.c\r\nSubject: deep\r\n")
		for i := 0; i < depth; i++ {
			b.WriteString("Content-Type: multipart/mixed; boundary=\"b" + string(rune('a'+i%26)) + strings.Repeat("x", i) + "\"\r\n\r\n--b" + string(rune('a'+i%26)) + strings.Repeat("x", i) + "\r\n")
		}
		b.WriteString("Content-Type: text/plain\r\n\r\nfond\r\n")
		return []byte(b.String())
	}
	many := func(n int) []byte {
		var b strings.Builder
		b.WriteString("From: a@b.c\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n")
		for i := 0; i < n; i++ {
			b.WriteString("--zz\r\nContent-Type: text/plain\r\n\r\npart\r\n")
		}
		b.WriteString("--zz--\r\n")
		return []byte(b.String())
	}
	cases := []struct {
		name  string
		raw   []byte
		lim   Limits
		limit string
	}{
		{"size", []byte("Subject: x\r\n\r\n" + strings.Repeat("a", 2000)), Limits{MaxSize: 1000}, "MaxSize"},
		{"parts", many(30), Limits{MaxParts: 10}, "MaxParts"},
		{"depth", nested(20), Limits{MaxDepth: 5}, "MaxDepth"},
		{"default depth", nested(60), Limits{}, "MaxDepth"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.raw, tc.lim)
			var le *LimitError
			if !errors.Is(err, ErrTooLarge) || !errors.As(err, &le) || le.Limit != tc.limit {
				t.Fatalf("err = %v, want ErrTooLarge naming %s", err, tc.limit)
			}
			if !strings.Contains(err.Error(), tc.limit) {
				t.Errorf("error %q does not name %s", err, tc.limit)
			}
		})
	}
	if _, err := Parse(many(30), Limits{}); err != nil {
		t.Errorf("30 parts under default limits: %v", err)
	}
}

func TestReadAttachment(t *testing.T) {
	raw := readTestdata(t, "outlook_fr_reply.eml")
	a, data, err := ReadAttachment(raw, "2", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "Arrêté convocation électeurs.pdf" || a.MediaType != "application/pdf" || !strings.HasPrefix(string(data), "%PDF-1.4") || a.Size != int64(len(data)) {
		t.Errorf("attachment %+v data %q", a, data[:8])
	}
	if _, _, err := ReadAttachment(raw, "9", Limits{}); !errors.Is(err, ErrNoAttachment) {
		t.Errorf("missing part: err = %v", err)
	}
	if _, _, err := ReadAttachment(raw, "2", Limits{MaxSize: 100}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("limit: err = %v", err)
	}
}
