package main

import "runtime/debug"

// A release build sets these with -ldflags -X (.goreleaser.yaml): the
// build info of a binary built from a release archive has no VCS
// settings, and never a build date.
var buildVersion, buildCommit, buildDate string

// version reports the module version, the commit and its date for a
// build from a clone, or the release's version, commit and build date.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = &debug.BuildInfo{}
	}
	return versionOf(bi, buildVersion, buildCommit, buildDate)
}

// versionOf is version with its inputs given: the build info, then what
// the release build set (empty when it did not).
func versionOf(bi *debug.BuildInfo, relVersion, relCommit, relDate string) string {
	v := bi.Main.Version
	if relVersion != "" {
		v = relVersion // the release's tag wins over Go's pseudo-version of the same commit
	}
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty, when string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value // the commit's time: the build info holds no build date of its own
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if relCommit != "" {
		rev, dirty = relCommit, ""
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += " commit " + rev + dirty
	}
	switch {
	case relDate != "":
		v += " built " + relDate
	case when != "":
		v += " of " + when
	}
	if bi.GoVersion != "" {
		v += " " + bi.GoVersion
	}
	return v
}
