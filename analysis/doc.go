// Package analysis explains what happened at each authentication step of
// a call: pure functions over the session model that return findings
// with a stable code, a severity, the messages concerned, a summary, an
// explanation an engineer can act on, and the RFC section behind it. It
// also recomputes digest responses (RFC 2617, RFC 7616, RFC 8760) to tell
// whether a candidate password produced the captured credentials.
//
// It owns the findings, their catalogue and the verdict. It imports only
// session, siplex (the SIP lexer, for the auth-params of challenges and
// credentials) and media (the streams' statistics, for the media
// findings): no capture, pipeline, report or interface, no I/O and no
// clock.
package analysis
