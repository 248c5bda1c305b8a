package conformance_test

import (
	"fmt"
	"strings"

	"github.com/winsim/winsim/backend"
	"github.com/winsim/winsim/backend/model"
	"github.com/winsim/winsim/conformance"
)

// ExampleExploreDiagram explores the CryptoAPI's context diagram on the
// models and prints its states and the moves from one of them.
func ExampleExploreDiagram() {
	models := func(profile string, seed uint64) (backend.Kernel, error) { return model.New(profile, seed) }
	g, err := conformance.ExploreDiagram("csp-context", models, "win8")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range g.States {
		fmt.Println(s.Label)
	}
	for _, e := range g.Edges {
		if e.From == "s_2_references" {
			fmt.Printf("%s -> %s: %s\n", e.From, e.To, strings.Join(e.Labels, "; "))
		}
	}
	// Output:
	// no context
	// 1 reference
	// 2 references
	// released
	// 3 references
	// 4 references
	// s_2_references -> s_1_reference: CryptReleaseContext(0): ERROR_SUCCESS; CryptReleaseContext(1): NTE_BAD_FLAGS (0x80090009)
	// s_2_references -> s_2_references: CryptContextAddRef(1): ERROR_INVALID_PARAMETER (87)
	// s_2_references -> s_3_references: CryptContextAddRef(0): ERROR_SUCCESS
}
