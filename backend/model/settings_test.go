package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSettingsStateEvidence: every setting of every family states the
// evidence of its win8 side, well formed. The cited Wine lines are checked
// against the sources by evidence.TestSettingsEvidenceLines, with the
// ledger's extractor.
func TestSettingsStateEvidence(t *testing.T) {
	settings := Settings()
	require.NotEmpty(t, settings)
	seen := map[string]bool{}
	for _, s := range settings {
		t.Run(s.ID, func(t *testing.T) {
			assert.False(t, seen[s.ID], "setting declared twice")
			seen[s.ID] = true
			require.NoError(t, s.Evidence.Check(), "setting %s", s.ID)
		})
	}
}

// TestDecidingSettingsAreDeclared: a model choice decided by a setting
// names one that some family declares (a misspelt id would leave the covers
// gate nothing to flip).
func TestDecidingSettingsAreDeclared(t *testing.T) {
	declared := map[string]bool{}
	for _, s := range Settings() {
		declared[s.ID] = true
	}
	decided := 0
	for _, r := range Catalog().Rules() {
		if r.DecidedBy == "" {
			continue
		}
		decided++
		assert.True(t, declared[r.DecidedBy], "%s is decided by %s, which no family declares", r.ID, r.DecidedBy)
	}
	assert.NotZero(t, decided, "no model choice names its deciding setting")
}
