package scenario_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/scenario"
	"github.com/winsim/winsim/sim"
)

// formatV1Corpus is the frozen corpus of version 1 scenario files (see its
// README): what the format promised on the day it was frozen.
const formatV1Corpus = "testdata/format-v1"

// TestFormatV1Corpus holds the format to its compatibility promise (docs/
// scenarios.md, "Compatibility"): every file of the frozen corpus still
// decodes with the current build, and runs under every profile without a
// decode error. Outcomes are logged, not required: a model fix may change
// whether a scenario passes, never whether it loads.
func TestFormatV1Corpus(t *testing.T) {
	files, err := scenario.Find(formatV1Corpus)
	require.NoError(t, err)
	require.NotEmpty(t, files)
	env := scenario.NewEnv(scenario.Catalog())
	newModel := func(profile string, seed uint64) (backend.Kernel, error) { return model.New(profile, seed) }
	for _, p := range sim.Profiles() {
		counts := map[scenario.Outcome]int{}
		for _, f := range files {
			_, res, err := scenario.RunFile(f, newModel, nil, scenario.Options{Profile: p.Name, Env: env})
			if err != nil {
				t.Errorf("a version 1 file no longer loads:\n%v", err)
				continue
			}
			counts[res.Outcome]++
		}
		t.Logf("profile %s: %d files, %d passed, %d failed, %d skipped",
			p.Name, len(files), counts[scenario.Passed], counts[scenario.Failed], counts[scenario.Skipped])
	}
}

// TestFormatV1CorpusFrozen checks the corpus against its SHA256SUMS: no file
// listed there may change or disappear, and every file in the corpus must be
// listed, so that an addition is a deliberate one. Line endings are
// compared as LF, so that a checkout that converts them still matches.
func TestFormatV1CorpusFrozen(t *testing.T) {
	sums, err := readSums(filepath.Join(formatV1Corpus, "SHA256SUMS"))
	require.NoError(t, err)
	require.NotEmpty(t, sums)
	for name, want := range sums {
		data, err := os.ReadFile(filepath.Join(formatV1Corpus, filepath.FromSlash(name)))
		if err != nil {
			t.Errorf("%s: %v (files of the frozen corpus are never removed)", name, err)
			continue
		}
		sum := sha256.Sum256(bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n")))
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: edited (sha256 %s, frozen as %s); the corpus is frozen: add a new file instead", name, got, want)
		}
	}
	err = filepath.WalkDir(formatV1Corpus, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(formatV1Corpus, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel != "README.md" && rel != "SHA256SUMS" && sums[rel] == "" {
			t.Errorf("%s: not listed in SHA256SUMS (add its line when adding a file)", rel)
		}
		return nil
	})
	require.NoError(t, err)
}

// readSums reads a sha256sum listing: "<hex digest>  <path>" per line.
func readSums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSuffix(sc.Text(), "\r")
		if text == "" {
			continue
		}
		digest, name, ok := strings.Cut(text, "  ")
		if !ok || len(digest) != sha256.Size*2 {
			return nil, fmt.Errorf("%s:%d: want \"<sha256>  <path>\", got %q", path, line, text)
		}
		sums[name] = digest
	}
	return sums, sc.Err()
}
