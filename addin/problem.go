package addin

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
)

// Problem is an RFC 9457 problem document as the panel receives it.
type Problem struct {
	Type    string    `json:"type"`
	Title   string    `json:"title"`
	Status  int       `json:"status"`
	Code    string    `json:"code"`
	Detail  string    `json:"detail,omitempty"`
	Message Bilingual `json:"message"`
	// Marking names the protection marking that caused a refusal.
	Marking string `json:"marking,omitempty"`
	// RetryAfter is the number of seconds to wait, for rate_limited and busy.
	RetryAfter int `json:"retryAfter,omitempty"`
}

// Bilingual is one sentence in French and in English.
type Bilingual struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// problemDef is the fixed status, title and sentences of one stable code.
type problemDef struct {
	status int
	title  string
	msg    Bilingual
}

// problems holds every stable problem code; see docs/contracts.md.
var problems = map[string]problemDef{
	"unauthorized": {401, "Unauthorized", Bilingual{
		"Votre session n'est pas reconnue. Reconnectez-vous puis réessayez.",
		"Your session is not recognised. Sign in again and retry."}},
	"forbidden": {403, "Forbidden", Bilingual{
		"Vous n'avez pas accès à cette ressource.",
		"You do not have access to this resource."}},
	"bad_request": {400, "Bad request", Bilingual{
		"La demande est incomplète ou mal formée.",
		"The request is incomplete or malformed."}},
	"not_found": {404, "Not found", Bilingual{
		"Cette adresse n'existe pas.",
		"This address does not exist."}},
	"method_not_allowed": {405, "Method not allowed", Bilingual{
		"Cette opération n'est pas permise ici.",
		"This operation is not allowed here."}},
	"too_large": {413, "Too large", Bilingual{
		"Le message ou le fichier est trop volumineux pour être traité.",
		"The message or file is too large to be processed."}},
	"rate_limited": {429, "Too many requests", Bilingual{
		"Trop de demandes en peu de temps. Patientez un instant puis réessayez.",
		"Too many requests in a short time. Wait a moment and retry."}},
	"unsupported_media_type": {415, "Unsupported media type", Bilingual{
		"La requête doit être envoyée en JSON (Content-Type: application/json).",
		"The request must be sent as JSON (Content-Type: application/json)."}},
	"busy": {503, "Busy", Bilingual{
		"Le serveur lit déjà autant de documents qu'il le peut. Réessayez dans quelques secondes.",
		"The server is already reading as many documents as it can. Retry in a few seconds."}},
	"message_not_found": {404, "Message not found", Bilingual{
		"Ce message est introuvable dans votre boîte aux lettres.",
		"This message cannot be found in your mailbox."}},
	"attachment_not_found": {404, "Attachment not found", Bilingual{
		"Cette pièce jointe est introuvable.",
		"This attachment cannot be found."}},
	"mail_unavailable": {503, "Mail server unavailable", Bilingual{
		"Le serveur de messagerie ne répond pas. Réessayez dans quelques minutes.",
		"The mail server is not answering. Retry in a few minutes."}},
	"mail_busy": {503, "Mail server still working", Bilingual{
		"Le serveur de messagerie recherche encore dans votre boîte (indexation d'un dossier volumineux). Réessayez dans une minute : la recherche aura avancé.",
		"The mail server is still searching your mailbox (indexing a large folder). Retry in a minute: the search will have progressed."}},
	"mail_timeout": {504, "Mail server timeout", Bilingual{
		"Le serveur de messagerie a mis trop de temps à répondre.",
		"The mail server took too long to answer."}},
	"mail_auth_failed": {502, "Mail server refused access", Bilingual{
		"Le serveur de messagerie a refusé l'accès à votre boîte.",
		"The mail server refused access to your mailbox."}},
	"model_unavailable": {503, "Model unavailable", Bilingual{
		"Le service d'intelligence artificielle est indisponible pour le moment.",
		"The AI service is unavailable at the moment."}},
	"model_timeout": {504, "Model timeout", Bilingual{
		"Le service d'intelligence artificielle a mis trop de temps à répondre.",
		"The AI service took too long to answer."}},
	"refused_marking": {403, "Refused: protection marking", Bilingual{
		"Ce message porte une mention de protection qui interdit son envoi au service d'IA configuré.",
		"This message carries a protection marking that forbids sending it to the configured AI service."}},
	"refused_encrypted": {403, "Refused: encrypted message", Bilingual{
		"Ce message est chiffré : son contenu n'est jamais transmis au service d'IA.",
		"This message is encrypted: its content is never sent to the AI service."}},
	"unsupported_document": {415, "Unsupported document", Bilingual{
		"Ce type de document n'est pas pris en charge.",
		"This document type is not supported."}},
	"document_protected": {422, "Protected document", Bilingual{
		"Ce document est protégé par un mot de passe ou chiffré.",
		"This document is password-protected or encrypted."}},
	"no_text": {422, "No text", Bilingual{
		"Aucun texte n'a pu être extrait de ce document (document scanné ?).",
		"No text could be extracted from this document (scanned document?)."}},
	"ocr_unavailable": {503, "OCR unavailable", Bilingual{
		"Ce document est numérisé et la reconnaissance de texte (OCR) n'est pas installée sur le serveur : l'administrateur doit installer Tesseract (apt-get install tesseract-ocr tesseract-ocr-fra).",
		"This document is scanned and text recognition (OCR) is not installed on the server: the administrator must install Tesseract (apt-get install tesseract-ocr tesseract-ocr-fra)."}},
	"invalid_output": {502, "Invalid model output", Bilingual{
		"La réponse du service d'IA était inutilisable. Réessayez.",
		"The AI service's answer was unusable. Retry."}},
	"unknown_action": {404, "Unknown action", Bilingual{
		"Cette action n'existe pas.",
		"This action does not exist."}},
	"not_implemented": {501, "Not implemented", Bilingual{
		"Cette fonction n'est pas encore disponible sur ce serveur.",
		"This feature is not available on this server yet."}},
	"internal": {500, "Internal error", Bilingual{
		"Une erreur interne est survenue. Réessayez ; si cela persiste, contactez le support.",
		"An internal error occurred. Retry; if it persists, contact support."}},
}

// newProblem builds the problem document for code; unknown codes become internal.
func newProblem(code string) *Problem {
	d, ok := problems[code]
	if !ok {
		code, d = "internal", problems["internal"]
	}
	p := &Problem{
		Type:    "urn:plume:problem:" + code,
		Title:   d.title,
		Status:  d.status,
		Code:    code,
		Message: d.msg,
	}
	if code == "mail_busy" {
		p.RetryAfter = 60 // the server's search will have progressed
	}
	return p
}

// writeProblem sends p as application/problem+json.
func writeProblem(w http.ResponseWriter, p *Problem) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	if p.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// fail logs cause (never mail content) and answers the problem for code.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, code string, cause error) {
	p := newProblem(code)
	s.logProblem(r, p, cause)
	writeProblem(w, p)
}

// logProblem records a problem and its cause in the server's log.
func (s *Server) logProblem(r *http.Request, p *Problem, cause error) { logProblem(s.log, r, p, cause) }

// logProblem records a problem and its cause in log.
func logProblem(log *slog.Logger, r *http.Request, p *Problem, cause error) {
	lvl := slog.LevelInfo
	if p.Status >= 500 {
		lvl = slog.LevelError
	}
	attrs := []any{"code", p.Code, "status", p.Status, "method", r.Method, "path", r.URL.Path}
	if cause != nil {
		attrs = append(attrs, "cause", cause.Error())
	}
	log.Log(r.Context(), lvl, "request failed", attrs...)
}
