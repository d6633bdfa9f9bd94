package mail

import "testing"

func TestCallerKeys(t *testing.T) {
	a := Caller{ID: "https://idp-a|s1", User: "alice", Token: "t1"}
	b := Caller{ID: "https://idp-b|s1", User: "alice", Token: "t1"}
	if a.Key() == b.Key() || a.TokenKey() == b.TokenKey() {
		t.Fatal("two principals with the same user name share a key")
	}
	a2 := a
	a2.Token = "t2"
	if a.Key() != a2.Key() || a.TokenKey() == a2.TokenKey() {
		t.Fatal("Key must not depend on the token, TokenKey must")
	}
}
