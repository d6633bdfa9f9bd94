package assist

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/plume-admin/plume/mail"
)

// ReplyRequest asks for a draft reply to the thread's latest message.
type ReplyRequest struct {
	ThreadRequest
	// Tone is "formel", "neutre" (default) or "cordial".
	Tone string
	// Kind is "reply" (default), "ack", "accuse_reception" (KindReceipt,
	// with the CRPA mentions), "missing_documents", "meeting_accept",
	// "meeting_decline" or "holding".
	Kind string
	// Instructions are the agent's free instructions ("refuse poliment").
	Instructions string
	// ReplyAll addresses every recipient, which changes the appellation.
	ReplyAll bool
	// Signer is the person replying — the owner of the mailbox, the caller —
	// whose name signs the draft and who the model is told writes it. The
	// correspondent never signs. Empty: inferred as the first To address of
	// the latest message that is not its sender, unless that message is in
	// a Sent folder (then it was the owner's own and its recipient is the
	// correspondent: the signature is left [à compléter]). The latest
	// sender is never inferred as signer.
	Signer mail.Address
	// Procedure names the procedure of an accusé de réception in
	// Options.Organisation.Procedures; empty: found by its keywords.
	Procedure string
	// Missing lists the pieces missing from the request (accusé de
	// réception); Incomplete says it is incomplete when they are not listed.
	Missing    []string
	Incomplete bool

	withheld int // messages left out of the context by openReply
}

// Reply is a draft reply; a person reviews it before anything is sent.
type Reply struct {
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

// MapText applies f to every string field; HTML is rebuilt from the mapped text.
func (r *Reply) MapText(f func(string) string) {
	if r == nil {
		return
	}
	r.Subject, r.Text = f(r.Subject), f(r.Text)
	r.HTML = htmlFromText(r.Text)
}

// Kinds of reply.
var replyKinds = map[string]map[string]string{
	"reply": {
		"fr": "réponse sur le fond au dernier message",
		"en": "a reply on the substance of the last message"},
	"ack": {
		"fr": "accusé de réception : confirmer la bonne réception et que la demande est en cours d'examen, sans répondre sur le fond",
		"en": "acknowledgement of receipt: confirm receipt and that the request is being examined, without answering on the substance"},
	KindReceipt: {
		"fr": "accusé de réception d'une demande adressée à l'administration : confirmer la réception et que la demande est en cours d'instruction, sans répondre sur le fond ; n'écris ni date, ni délai, ni voie de recours, ni coordonnées : les mentions légales sont ajoutées automatiquement après ta réponse",
		"en": "acknowledgement of a request made to the administration: confirm receipt and that the request is being examined, without answering on the substance; write no date, delay, appeal route or contact details: the legal mentions are added automatically after your answer"},
	"missing_documents": {
		"fr": "demande de pièces manquantes : lister précisément les pièces ou informations manquantes citées dans le fil ; si aucune n'est identifiable, écrire [à compléter]",
		"en": "request for missing documents: list precisely the documents or information missing according to the thread; if none can be identified, write [to be completed]"},
	"meeting_accept": {
		"fr": "acceptation de la réunion ou du rendez-vous proposé, en reprenant la date, l'heure et le lieu s'ils figurent dans le fil",
		"en": "acceptance of the proposed meeting, restating date, time and place if the thread gives them"},
	"meeting_decline": {
		"fr": "refus courtois de la réunion ou du rendez-vous proposé, en proposant si possible une autre date [à compléter]",
		"en": "courteous refusal of the proposed meeting, offering another date [to be completed] if appropriate"},
	"holding": {
		"fr": "réponse d'attente : la demande est prise en compte et une réponse complète suivra dans un délai [à compléter]",
		"en": "holding reply: the request is being handled and a full answer will follow within [to be completed]"},
}

var toneHints = map[string]map[string]string{
	"formel":  {"fr": "formel et soutenu, celui de la correspondance administrative", "en": "formal, that of administrative correspondence"},
	"neutre":  {"fr": "neutre et professionnel", "en": "neutral and professional"},
	"cordial": {"fr": "cordial et chaleureux, tout en restant professionnel", "en": "warm and friendly while staying professional"},
}

// normReply checks and defaults a reply request's options.
func normReply(req *ReplyRequest) error {
	if req.Tone == "" {
		req.Tone = "neutre"
	}
	if _, ok := toneHints[req.Tone]; !ok {
		return fmt.Errorf("%w: tone %q (want formel, neutre or cordial)", ErrBadRequest, req.Tone)
	}
	if req.Kind == "" {
		req.Kind = "reply"
	}
	if _, ok := replyKinds[req.Kind]; !ok {
		return fmt.Errorf("%w: kind %q", ErrBadRequest, req.Kind)
	}
	if len(req.Instructions) > 2000 {
		return fmt.Errorf("%w: instructions longer than 2000 bytes", ErrBadRequest)
	}
	var err error
	req.Length, err = length(req.Length)
	return err
}

// DraftReply drafts a reply to the latest message of the thread.
//
// The request's Pass restores and guards the answer and writes the audit
// line, whatever the outcome.
//
// An accusé de réception (KindReceipt) gets its CRPA mentions after the
// answer is restored and guarded (receipt.go).
func (a *Assistant) DraftReply(ctx context.Context, req ReplyRequest, cb Callbacks) (*Reply, Meta, error) {
	r, meta, err := serve(req.Pass, cb, func(cb Callbacks) (*Reply, Meta, error) { return a.draftReply(ctx, req, cb) })
	if err == nil && req.Kind == KindReceipt {
		a.addReceipt(r, req)
	}
	return r, meta, err
}

// openReply opens the request, gives the caller's texts (signer,
// instructions) the request's placeholders, as the thread has, and keeps
// in the thread only what the reply's recipients saw (recipientsOnly).
func openReply(req *ReplyRequest) error {
	if err := req.open(); err != nil {
		return err
	}
	req.Signer.Name, req.Signer.Address = req.Pass.Text(req.Signer.Name), req.Pass.Text(req.Signer.Address)
	req.Instructions = req.Pass.Text(req.Instructions)
	signer := replier(req.thread, req.Signer)
	req.thread, req.withheld = recipientsOnly(req.thread, replyTarget(req.thread, signer), signer, req.ReplyAll)
	return nil
}

func (a *Assistant) draftReply(ctx context.Context, req ReplyRequest, cb Callbacks) (*Reply, Meta, error) {
	if err := openReply(&req); err != nil {
		return nil, Meta{}, err
	}
	r, meta, err := a.draftOpened(ctx, req, cb)
	if err == nil && req.withheld > 0 {
		lang, _ := a.language(req.Language)
		meta.Withheld = req.withheld
		meta.Cut = append(meta.Cut, withheldNote(req.withheld, lang))
	}
	return r, meta, err
}

// draftOpened drafts the reply of an opened request (openReply).
func (a *Assistant) draftOpened(ctx context.Context, req ReplyRequest, cb Callbacks) (*Reply, Meta, error) {
	lang, err := a.language(req.Language)
	if err != nil {
		return nil, Meta{}, err
	}
	if err := normReply(&req); err != nil {
		return nil, Meta{}, err
	}
	ep, err := a.endpointFor(TaskReply, req.endpoint)
	if err != nil {
		return nil, Meta{}, err
	}
	if ep == nil {
		return a.offlineReply(req, lang), a.degraded(nil, "no model configured"), nil
	}
	p, err := a.buildReplyPrompt(ep, lang, req)
	if err != nil {
		return nil, Meta{}, err
	}
	return askModel(ctx, a, p, cb, asking[Reply]{
		key: sha("reply", lang, req.Length, req.Tone, req.Kind, req.Instructions, fmt.Sprint(req.ReplyAll),
			ep.Name, ep.ModelName, PromptVersion, p.keyed),
		parse: func(text string) (*Reply, error) {
			text = cleanReplyText(text)
			if text == "" {
				return nil, fmt.Errorf("%w: empty reply", ErrInvalidOutput)
			}
			r := &Reply{Subject: replySubject(p.thread.Latest(), lang), Text: text}
			r.HTML = htmlFromText(r.Text)
			return r, nil
		},
		offline: func(string) *Reply { return a.offlineReply(req, lang) },
	})
}

// buildReplyPrompt builds the reply prompt of an opened request (openReply).
func (a *Assistant) buildReplyPrompt(ep *Endpoint, lang string, req ReplyRequest) (*threadPrompt, error) {
	signer := replier(req.thread, req.Signer)
	target := replyTarget(req.thread, signer)
	return a.buildThreadPrompt(ep, "reply", lang, req.ThreadRequest, func(d *promptData, t *mail.Thread) {
		m := t.Latest()
		if target < len(t.Messages) {
			m = t.Messages[target]
		}
		ad := findAddressee(t, min(target, len(t.Messages)-1), req.ReplyAll)
		d.KindHint = replyKinds[req.Kind][lang]
		d.ToneHint = toneHints[req.Tone][lang]
		d.Appellation = appellation(ad, req.Tone, lang)
		d.Closing = closing(ad, req.Tone, lang)
		// The signer went through the same pass as the thread (openReply),
		// so its name and address have the thread's placeholders.
		d.Signature = strings.TrimSpace(signer.Name)
		d.Author = d.Signature
		if signer.Address != "" {
			d.Author = signer.String()
		}
		if d.Author == "" {
			d.Author = map[string]string{"fr": "l'agent destinataire", "en": "the recipient"}[lang]
		}
		d.Addressee = sender(m)
		if ad.many {
			d.Addressee = map[string]string{"fr": "tous les correspondants", "en": "all correspondents"}[lang]
		}
		d.Instructions = strings.TrimSpace(req.Instructions)
	})
}

var subjectLineRE = regexp.MustCompile(`(?i)^\s*(objet|subject)\s*:.*\n+`)

// cleanReplyText drops a subject line or code fence the model may add.
func cleanReplyText(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "```text")
	s = strings.TrimPrefix(s, "```")
	s = strings.TrimSuffix(s, "```")
	s = subjectLineRE.ReplaceAllString(s, "")
	return strings.TrimSpace(s)
}
