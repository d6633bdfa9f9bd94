package graph

import (
	"testing"

	"github.com/microsoft/kiota-abstractions-go/serialization"

	kjson "github.com/microsoft/kiota-serialization-json-go"
)

// FuzzMessageJSON feeds arbitrary bytes to the Graph models' parsing: a
// hostile or broken Graph answer must give an error or a model, never a panic.
func FuzzMessageJSON(f *testing.F) {
	f.Add([]byte(`{"id":"AAMk1","subject":"Réunion","from":{"emailAddress":{"name":"A","address":"a@x"}},"toRecipients":[{"emailAddress":{"address":"b@x"}}],"body":{"contentType":"html","content":"<p>Bonjour</p>"},"internetMessageHeaders":[{"name":"In-Reply-To","value":"<x@y>"}],"receivedDateTime":"2026-06-01T08:00:00Z","hasAttachments":true}`))
	f.Add([]byte(`{"value":[{"@odata.type":"#microsoft.graph.fileAttachment","id":"1","name":"a.pdf","size":3,"contentBytes":"JVBE"},{"@odata.type":"#microsoft.graph.itemAttachment","item":{"subject":"x"}}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/me/messages?$skiptoken=2"}`))
	f.Add([]byte(`{"error":{"code":"InefficientFilter","message":"too complex"}}`))
	f.Add([]byte(`{"toRecipients":[1,2,{"emailAddress":null}],"body":[],"size":"big"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		pnf := kjson.NewJsonParseNodeFactory()
		root, err := pnf.GetRootParseNode("application/json", data)
		if err != nil || root == nil {
			return
		}
		_, _ = root.GetObjectValue(newMessage)
		_, _ = root.GetObjectValue(newAttachment)
		_, _ = root.GetObjectValue(newODataError)
		col := &collection[*Message]{ctor: newMessage}
		_, _ = root.GetObjectValue(func(serialization.ParseNode) (serialization.Parsable, error) { return col, nil })
	})
}
