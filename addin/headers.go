package addin

import "net/http"

// SecurityHeaders is the middleware that sets the browser security headers
// on every answer. The panel is framed by Outlook, so frame-ancestors lists
// the Outlook hosts (Outlook on the web, Microsoft 365, Outlook.com and
// the new Outlook, whose pane is hosted by officeapps) instead of forbidding
// framing; other Microsoft pages may not frame it.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com; "+
			"style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https://appsforoffice.microsoft.com https://login.microsoftonline.com; object-src 'none'; base-uri 'none'; "+
			"frame-ancestors "+outlookFrameAncestors)
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// outlookFrameAncestors are the pages that may frame the panel.
const outlookFrameAncestors = "'self' https://outlook.office.com https://outlook.office365.com https://outlook.live.com " +
	"https://outlook.cloud.microsoft https://*.officeapps.live.com"
