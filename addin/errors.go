package addin

import (
	"context"
	"errors"

	"github.com/plume-admin/plume/graph"
	"github.com/plume-admin/plume/mail"
)

// mailCode maps a mail source error to its stable problem code.
func mailCode(err error) string {
	switch {
	case errors.Is(err, graph.ErrTokenExchange):
		return "mail_auth_failed"
	case errors.Is(err, graph.ErrThrottled):
		return "mail_unavailable"
	case errors.Is(err, mail.ErrNotFound):
		return "message_not_found"
	case errors.Is(err, mail.ErrNoAttachment):
		return "attachment_not_found"
	case errors.Is(err, mail.ErrAuth):
		return "mail_auth_failed"
	case errors.Is(err, mail.ErrStillWorking):
		return "mail_busy"
	case errors.Is(err, mail.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "mail_timeout"
	case errors.Is(err, mail.ErrTooLarge):
		return "too_large"
	case errors.Is(err, mail.ErrMalformed):
		return "bad_request"
	case errors.Is(err, mail.ErrUnavailable):
		return "mail_unavailable"
	}
	return "mail_unavailable"
}
