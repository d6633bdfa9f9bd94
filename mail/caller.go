package mail

// Caller is the verified identity a request runs for. The IMAP login is
// always derived from it, never from request input.
type Caller struct {
	// User is the mailbox login name (e.g. "jdupont" or "jdupont@pref.gouv.fr").
	User string
	// Email is the user's address; OAUTHBEARER and XOAUTH2 send it when set,
	// User otherwise.
	Email string
	// Token is the user's bearer token, for OAUTHBEARER and XOAUTH2.
	Token string
}
