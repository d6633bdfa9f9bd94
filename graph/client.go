package graph

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	kjson "github.com/microsoft/kiota-serialization-json-go"

	"github.com/plume-admin/plume/mail"
)

// authFailed is wrapped into token and 401/403 errors.
var authFailed = mail.ErrAuth

// client is the trimmed Kiota client: one request adapter, a token taken
// from the request's context, and a per-mailbox concurrency limit.
type client struct {
	adapter abs.RequestAdapter
	opts    Options
	mu      sync.Mutex
	slots   map[string]chan struct{}
}

type tokenKey struct{}

// ctxTokenProvider hands kiota the Graph token carried by the context.
type ctxTokenProvider struct {
	hosts *absauth.AllowedHostsValidator
}

func (p ctxTokenProvider) GetAuthorizationToken(ctx context.Context, _ *url.URL, _ map[string]any) (string, error) {
	t, _ := ctx.Value(tokenKey{}).(string)
	if t == "" {
		return "", errors.New("graph: no token in context")
	}
	return t, nil
}

func (p ctxTokenProvider) GetAllowedHostsValidator() *absauth.AllowedHostsValidator { return p.hosts }

func newClient(o Options) (*client, error) {
	base, err := url.Parse(o.BaseURL)
	if err != nil || base.Host == "" {
		return nil, fmt.Errorf("graph: invalid base URL %q", o.BaseURL)
	}
	hosts, err := absauth.NewAllowedHostsValidatorErrorCheck([]string{base.Host})
	if err != nil {
		return nil, fmt.Errorf("graph: allowed hosts: %w", err)
	}
	auth := absauth.NewBaseBearerTokenAuthenticationProvider(ctxTokenProvider{hosts: hosts})
	maxWait := o.MaxRetryWait
	mws, err := khttp.GetDefaultMiddlewaresWithOptions(&khttp.RetryHandlerOptions{
		MaxRetries: o.MaxRetries,
		ShouldRetry: func(waited time.Duration, _ int, _ *http.Request, resp *http.Response) bool {
			return waited+retryAfter(resp) <= maxWait
		},
	})
	if err != nil {
		return nil, fmt.Errorf("graph: middleware: %w", err)
	}
	hc := *o.HTTPClient
	parent := hc.Transport
	if parent == nil {
		parent = http.DefaultTransport
	}
	hc.Transport = khttp.NewCustomTransportWithParentTransport(parent, mws...)
	ad, err := khttp.NewNetHttpRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, kjson.NewJsonParseNodeFactory(), kjson.NewJsonSerializationWriterFactory(), &hc)
	if err != nil {
		return nil, fmt.Errorf("graph: adapter: %w", err)
	}
	ad.SetBaseUrl(o.BaseURL)
	return &client{adapter: ad, opts: o, slots: map[string]chan struct{}{}}, nil
}

// retryAfter reads a Retry-After in seconds (0 when absent).
func retryAfter(resp *http.Response) time.Duration {
	if resp == nil {
		return 0
	}
	var s int
	if _, err := fmt.Sscanf(resp.Header.Get("Retry-After"), "%d", &s); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// acquire takes one of the mailbox's request slots.
func (c *client) acquire(ctx context.Context, user string) (func(), error) {
	c.mu.Lock()
	ch, ok := c.slots[user]
	if !ok {
		ch = make(chan struct{}, c.opts.MaxConcurrent)
		c.slots[user] = ch
	}
	c.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %w", mail.ErrTimeout, ctx.Err())
	}
}

// messageSelect is the $select of a message read.
const messageSelect = "id,internetMessageId,conversationId,subject,receivedDateTime,sentDateTime,from,sender,toRecipients,ccRecipients,replyTo,body,uniqueBody,internetMessageHeaders,hasAttachments,parentFolderId"

func (c *client) request(method abs.HttpMethod, template string, path map[string]string, query map[string]string) *abs.RequestInformation {
	ri := abs.NewRequestInformationWithMethodAndUrlTemplateAndPathParameters(method, template, path)
	for k, v := range query {
		ri.QueryParameters[k] = v
	}
	ri.Headers.Add("Accept", "application/json")
	return ri
}

// send runs one request with the mailbox's slot held.
func (c *client) send(ctx context.Context, user string, ri *abs.RequestInformation, ctor serialization.ParsableFactory) (serialization.Parsable, error) {
	release, err := c.acquire(ctx, user)
	if err != nil {
		return nil, err
	}
	defer release()
	v, err := c.adapter.Send(ctx, ri, ctor, errorMapping)
	return v, classify(err)
}

// GetMessage reads one message with the fields Plume needs.
func (c *client) GetMessage(ctx context.Context, user, id string) (*Message, error) {
	ri := c.request(abs.GET, "{+baseurl}/me/messages/{message_id}{?%24select}",
		map[string]string{"message_id": id}, map[string]string{"%24select": messageSelect})
	ri.Headers.Add("Prefer", `outlook.body-content-type="html"`)
	v, err := c.send(ctx, user, ri, newMessage)
	if err != nil {
		return nil, err
	}
	m, _ := v.(*Message)
	if m == nil {
		return nil, fmt.Errorf("%w: empty answer for message", mail.ErrNotFound)
	}
	return m, nil
}

// ListConversation lists every message of a conversation, following
// @odata.nextLink. It never adds $orderby: Graph refuses that combination
// with InefficientFilter; callers sort.
func (c *client) ListConversation(ctx context.Context, user, conversationID string, max int) ([]*Message, bool, error) {
	filter := "conversationId eq '" + escapeOData(conversationID) + "'"
	ri := c.request(abs.GET, "{+baseurl}/me/messages{?%24filter,%24select,%24top}", map[string]string{},
		map[string]string{"%24filter": filter, "%24select": messageSelect, "%24top": fmt.Sprint(c.opts.PageSize)})
	ri.Headers.Add("Prefer", `outlook.body-content-type="html"`)
	var out []*Message
	for pages := 0; ; pages++ {
		v, err := c.send(ctx, user, ri, func(serialization.ParseNode) (serialization.Parsable, error) {
			return &collection[*Message]{ctor: newMessage}, nil
		})
		if err != nil {
			return nil, false, err
		}
		col := v.(*collection[*Message])
		out = append(out, col.Value...)
		// A conversation larger than 10× the cap is cut: the newest are
		// sorted locally, and Graph pages are not in date order.
		if col.NextLink == "" || len(out) >= 10*max || pages > 100 {
			return out, col.NextLink != "", nil
		}
		next, err := url.Parse(col.NextLink)
		if err != nil {
			return nil, false, fmt.Errorf("graph: bad nextLink: %w", err)
		}
		ri = abs.NewRequestInformation()
		ri.Method = abs.GET
		ri.SetUri(*next)
		ri.Headers.Add("Accept", "application/json")
		ri.Headers.Add("Prefer", `outlook.body-content-type="html"`)
	}
}

// ListAttachments lists a message's attachments without their bytes.
func (c *client) ListAttachments(ctx context.Context, user, messageID string) ([]*Attachment, error) {
	ri := c.request(abs.GET, "{+baseurl}/me/messages/{message_id}/attachments{?%24select}",
		map[string]string{"message_id": messageID}, map[string]string{"%24select": "id,name,contentType,size,isInline"})
	v, err := c.send(ctx, user, ri, func(serialization.ParseNode) (serialization.Parsable, error) {
		return &collection[*Attachment]{ctor: newAttachment}, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*collection[*Attachment]).Value, nil
}

// GetAttachment reads one attachment with its bytes (fileAttachment) or its
// expanded item (itemAttachment).
func (c *client) GetAttachment(ctx context.Context, user, messageID, attID string, item bool) (*Attachment, error) {
	template := "{+baseurl}/me/messages/{message_id}/attachments/{attachment_id}"
	q := map[string]string{}
	if item {
		template += "{?%24expand}"
		q["%24expand"] = "microsoft.graph.itemattachment/item"
	}
	ri := c.request(abs.GET, template, map[string]string{"message_id": messageID, "attachment_id": attID}, q)
	v, err := c.send(ctx, user, ri, newAttachment)
	if err != nil {
		return nil, err
	}
	return v.(*Attachment), nil
}

// GetMIME reads a message's full MIME source.
func (c *client) GetMIME(ctx context.Context, user, messageID string) ([]byte, error) {
	return c.raw(ctx, user, c.request(abs.GET, "{+baseurl}/me/messages/{message_id}/$value", map[string]string{"message_id": messageID}, nil))
}

// GetAttachmentMIME reads an attachment's raw contents: for an attached
// Outlook item, its MIME source with every header.
func (c *client) GetAttachmentMIME(ctx context.Context, user, messageID, attID string) ([]byte, error) {
	return c.raw(ctx, user, c.request(abs.GET, "{+baseurl}/me/messages/{message_id}/attachments/{attachment_id}/$value",
		map[string]string{"message_id": messageID, "attachment_id": attID}, nil))
}

// raw sends ri and returns the body as bytes.
func (c *client) raw(ctx context.Context, user string, ri *abs.RequestInformation) ([]byte, error) {
	ri.Headers.Add("Accept", "message/rfc822, text/plain")
	release, err := c.acquire(ctx, user)
	if err != nil {
		return nil, err
	}
	defer release()
	v, err := c.adapter.SendPrimitive(ctx, ri, "[]byte", errorMapping)
	if err != nil {
		return nil, classify(err)
	}
	b, _ := v.([]byte)
	return b, nil
}

func escapeOData(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, r)
		if r == '\'' {
			out = append(out, '\'')
		}
	}
	return string(out)
}

// classify maps transport and Graph errors onto the mail package's sentinels.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var oe *ODataError
	if errors.As(err, &oe) {
		switch {
		case oe.Status == http.StatusNotFound || oe.Code == "ErrorItemNotFound":
			return fmt.Errorf("%w: %w", mail.ErrNotFound, oe)
		case oe.Status == http.StatusUnauthorized || oe.Status == http.StatusForbidden:
			return fmt.Errorf("%w: %w", mail.ErrAuth, oe)
		case oe.Status == http.StatusTooManyRequests || oe.Status == http.StatusServiceUnavailable:
			return fmt.Errorf("%w: %w: %w", ErrThrottled, mail.ErrUnavailable, oe)
		case oe.Status >= 500:
			return fmt.Errorf("%w: %w", mail.ErrUnavailable, oe)
		}
		return oe
	}
	var ae *abs.ApiError
	if errors.As(err, &ae) && ae.ResponseStatusCode >= 500 {
		return fmt.Errorf("%w: %w", mail.ErrUnavailable, err)
	}
	return unavailable(err)
}

// unavailable classifies network errors: deadline → ErrTimeout, else ErrUnavailable.
func unavailable(err error) error {
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return fmt.Errorf("%w: %w", mail.ErrTimeout, err)
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	var ue *url.Error
	var oe *net.OpError
	if errors.As(err, &ue) || errors.As(err, &oe) {
		return fmt.Errorf("%w: %w", mail.ErrUnavailable, err)
	}
	return err
}
