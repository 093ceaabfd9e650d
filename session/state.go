package session

import "github.com/sipdbg/sipdbg/siplex"

// State is where a call stands, in sngrep's words for INVITE dialogs and
// with the registration and authentication outcomes added.
type State uint8

// Call states.
const (
	StateNone         State = iota
	StateCallSetup          // INVITE sent, no final response yet
	StateRinging            // 180/183 received
	StateInCall             // 2xx to the INVITE
	StateCompleted          // BYE, or a 2xx to a non-INVITE request
	StateCancelled          // CANCEL or 487
	StateRejected           // a final response ≥ 300 not listed below
	StateBusy               // 486, 600 or 480
	StateDiverted           // 181, 3xx
	StateRegistering        // REGISTER sent, no final response yet
	StateRegistered         // 2xx to REGISTER
	StateUnregistered       // 2xx to REGISTER with Expires: 0
	StateChallenged         // 401/407 to a request without credentials: not answered in the capture
	StateAuthFailed         // 401/407/403 to a request that carried credentials
	StatePending            // a non-INVITE request without a final response
)

var stateNames = [...]string{
	"", "CALL SETUP", "RINGING", "IN CALL", "COMPLETED", "CANCELLED", "REJECTED", "BUSY",
	"DIVERTED", "REGISTERING", "REGISTERED", "UNREGISTERED", "CHALLENGED", "AUTH FAILED", "PENDING",
}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "?"
}

// advance returns the state of call c after message m, which belongs to
// transaction tx.
func (c *Call) advance(s *Store, m *Message, tx *Transaction) State {
	st := c.State
	if m.IsRequest() {
		return requestState(c, m, st)
	}
	if m.Status < 200 {
		if tx.Method == "INVITE" && (m.Status == 180 || m.Status == 183) && st == StateCallSetup {
			return StateRinging
		}
		if m.Status == 181 && st == StateCallSetup {
			return StateDiverted
		}
		return st
	}
	if tx.Method != c.Method && !(c.Method == "INVITE" && tx.Method == "BYE") {
		return st // a side transaction (OPTIONS in an INVITE call …)
	}
	if auth := authState(s, m, tx); auth != StateNone {
		return auth
	}
	switch c.Method {
	case "INVITE":
		return inviteFinal(m, tx, st)
	case "REGISTER":
		return registerFinal(s, m, tx)
	}
	if m.Status < 300 {
		return StateCompleted
	}
	return StateRejected
}

func requestState(c *Call, m *Message, st State) State {
	if m.Has(FlagRetransmission) {
		return st
	}
	switch m.Method() {
	case "INVITE":
		if st == StateInCall {
			return st // re-INVITE
		}
		return StateCallSetup
	case "CANCEL":
		if st != StateInCall && st != StateCompleted {
			return StateCancelled
		}
	case "BYE":
		return StateCompleted
	case "REGISTER":
		if c.Method == "REGISTER" && st != StateRegistered {
			return StateRegistering
		}
	case "ACK", "PRACK", "UPDATE", "INFO", "NOTIFY", "OPTIONS":
	default:
		if st == StateNone {
			return StatePending
		}
	}
	if st == StateNone && c.Method == m.Method() {
		return StatePending
	}
	return st
}

// authState classifies the authentication outcome of a final response:
// a challenge to a request without credentials (RFC 3261 §22.2, §22.3),
// or a 401/407/403 to one that had them, which means they were refused.
func authState(s *Store, m *Message, tx *Transaction) State {
	if m.Status != 401 && m.Status != 407 && m.Status != 403 {
		return StateNone
	}
	if tx.Request >= 0 {
		req := s.Msg(int(tx.Request))
		if req.Flags&(FlagAuthorization|FlagProxyAuthorization) != 0 {
			return StateAuthFailed
		}
	}
	if m.Status == 403 {
		return StateNone
	}
	return StateChallenged
}

func inviteFinal(m *Message, tx *Transaction, st State) State {
	switch {
	case tx.Method == "BYE":
		return StateCompleted
	case st == StateCompleted:
		return st
	case m.Status < 300:
		return StateInCall
	case m.Status < 400:
		return StateDiverted
	case m.Status == 487:
		return StateCancelled
	case m.Status == 486 || m.Status == 600 || m.Status == 480:
		return StateBusy
	case st == StateInCall:
		return st // a failed re-INVITE leaves the call up (RFC 3261 §14.1)
	}
	return StateRejected
}

func registerFinal(s *Store, m *Message, tx *Transaction) State {
	if m.Status >= 300 {
		return StateRejected
	}
	if tx.Request >= 0 && unregisters(s.Msg(int(tx.Request))) {
		return StateUnregistered
	}
	return StateRegistered
}

// unregisters reports a REGISTER that removes bindings: Expires: 0, or
// every Contact with expires=0, or "Contact: *" (RFC 3261 §10.2.2).
func unregisters(req *Message) bool {
	for _, e := range req.Header("expires") {
		if e == "0" {
			return true
		}
	}
	contacts := req.Header("contact")
	for _, c := range contacts {
		if c == "*" {
			return true
		}
		if siplex.Param(c[max(0, siplex.IndexUnquoted(c, '>')):], "expires") != "0" {
			return false
		}
	}
	return len(contacts) > 0
}
