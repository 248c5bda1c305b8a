package conformance

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/winsim/winsim/sim"
)

// settingReader reads one family's declared profile settings for an oracle,
// collecting every problem instead of stopping at the first. An oracle must
// state a rule for each setting its family declares: a setting it does not
// know is an error, so a new difference cannot slip past the suite.
type settingReader struct {
	vals map[string]string
	errs []string
}

// readSettingValues reads the settings whose id starts with prefix under
// profile. pkg and where name the declaring package and the oracle's file
// for the messages; known lists the ids the oracle has rules for.
func readSettingValues(infos []sim.SettingInfo, prefix, profile, pkg, where string, known []string) *settingReader {
	r := &settingReader{vals: map[string]string{}}
	for _, s := range infos {
		if !strings.HasPrefix(s.ID, prefix) {
			continue
		}
		v, ok := s.Values[profile]
		if !ok {
			r.errs = append(r.errs, fmt.Sprintf("setting %s has no value for profile %q", s.ID, profile))
		}
		r.vals[s.ID] = v
		if !slices.Contains(known, s.ID) {
			r.errs = append(r.errs, fmt.Sprintf("setting %s is declared in %s, but the oracle states no rule for it (%s)", s.ID, pkg, where))
		}
	}
	return r
}

// str returns a setting's value as text.
func (r *settingReader) str(id string) string {
	v, ok := r.vals[id]
	if !ok {
		r.errs = append(r.errs, fmt.Sprintf("setting %s is not declared", id))
	}
	return v
}

// bool returns a boolean setting.
func (r *settingReader) bool(id string) bool {
	s := r.str(id)
	v, err := strconv.ParseBool(s)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("setting %s: %q is not a declared bool", id, s))
	}
	return v
}

// int returns an integer setting.
func (r *settingReader) int(id string) int {
	s := r.str(id)
	v, err := strconv.Atoi(s)
	if err != nil {
		r.errs = append(r.errs, fmt.Sprintf("setting %s: %q is not an integer", id, s))
	}
	return v
}

// fail records a problem found while interpreting a value.
func (r *settingReader) fail(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// err returns every problem found, or nil.
func (r *settingReader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("conformance: %s", strings.Join(r.errs, "; "))
}
