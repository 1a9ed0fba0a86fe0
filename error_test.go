package workroom_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/workroom/workroom"
)

// transportWords are how one way in says what to do: a command to type, a
// flag, a key to press. The domain's and the store's refusals must hold in
// every way in (an SMTP reply, an SFTP status), so they carry none; each
// transport adds its own how-to by the refusal's Rule.
var transportWords = []string{"`", "--", "ctrl", "press ", "run "}

// TestErrors_SayNoTransportWords reads every refusal the root package
// words (Errorf) and checks the store words none at all.
func TestErrors_SayNoTransportWords(t *testing.T) {
	for _, dir := range []string{".", "store"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			for _, f := range refusalFormats(t, path) {
				if dir == "store" {
					t.Errorf("%s: the store words a refusal %q; return workroom.Refusal(code, rule)", f.pos, f.text)
					continue
				}
				for _, w := range transportWords {
					if strings.Contains(f.text, w) {
						t.Errorf("%s: refusal %q says %q: say the rule, and let each transport add its how-to by Rule", f.pos, f.text, w)
					}
				}
			}
		}
	}
}

type format struct {
	pos  token.Position
	text string
}

// refusalFormats returns the format string of every Errorf call in path.
func refusalFormats(t *testing.T, path string) []format {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []format
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 2 || !isErrorf(call.Fun) {
			return true
		}
		if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			text, _ := strconv.Unquote(lit.Value)
			out = append(out, format{fset.Position(lit.Pos()), text})
		}
		return true
	})
	return out
}

func isErrorf(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name == "Errorf"
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		return ok && x.Name == "workroom" && f.Sel.Name == "Errorf"
	}
	return false
}

// TestRefusal_ReadsAsItsRulesSentence: a store's wordless refusal reaches a
// person as the domain's sentence for its rule, or for its code.
func TestRefusal_ReadsAsItsRulesSentence(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{workroom.Refusal(workroom.EUNAVAILABLE, workroom.RuleCannotStore), "the server cannot store anything right now; try again later"},
		{workroom.Refusal(workroom.ECONFLICT, workroom.RuleKeyRegistered), "this key already belongs to an account"},
		{workroom.Refusal(workroom.ENOTFOUND, ""), "not found"},
		{workroom.Errorf(workroom.EINVALID, "the name is empty").Because(workroom.RuleNameMissing), "the name is empty"},
	}
	for _, tt := range tests {
		if got := workroom.ErrorMessage(tt.err); got != tt.want {
			t.Errorf("ErrorMessage(%#v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
