package addin

import "net/http"

// SecurityHeaders is the middleware that sets the browser security headers
// on every answer. The panel is framed by Outlook, so frame-ancestors lists
// the Office hosts instead of forbidding framing.
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' https://appsforoffice.microsoft.com; "+
			"style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' https://appsforoffice.microsoft.com https://login.microsoftonline.com; object-src 'none'; base-uri 'none'; "+
			"frame-ancestors 'self' https://*.office.com https://*.office365.com https://*.microsoft.com https://*.live.com https://*.cloud.microsoft")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}
