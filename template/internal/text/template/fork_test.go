package template

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// goVersion is the Go release whose text/template this is.
const goVersion = "go1.26.8"

// patches are the changes to the standard library's files, old to new.
var patches = map[string][][2]string{
	"exec.go": {
		{"\t\"internal/fmtsort\"\n", "\t\"github.com/cfngen/cfngen/template/internal/fmtsort\"\n"},
		{`	// Unless it's an interface, need to get to a value of type *T to guarantee
	// we see all methods of T and *T.
	ptr := receiver
	if ptr.Kind() != reflect.Interface && ptr.Kind() != reflect.Pointer && ptr.CanAddr() {
		ptr = ptr.Addr()
	}
	if method := ptr.MethodByName(fieldName); method.IsValid() {
		return s.evalCall(dot, method, false, node, fieldName, args, final)
	}
`, "\t// cfngen: no method calls on data (see doc.go).\n"},
	},
	"funcs.go":              nil,
	"option.go":             nil,
	"template.go":           nil,
	"../../fmtsort/sort.go": nil,
}

// TestFork: the files are the standard library's of goVersion with the
// patches, and nothing else.
func TestFork(t *testing.T) {
	if runtime.Version() != goVersion {
		t.Skipf("the fork is of %s, this is %s: compare the files with $(go env GOROOT)/src/text/template by hand", goVersion, runtime.Version())
	}
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("go env GOROOT: %v", err)
	}
	src := filepath.Join(strings.TrimSpace(string(goroot)), "src")
	for file, ps := range patches {
		std := filepath.Join(src, "text", "template", file)
		if strings.HasPrefix(file, "../../fmtsort/") {
			std = filepath.Join(src, "internal", "fmtsort", filepath.Base(file))
		}
		want, err := os.ReadFile(std)
		if err != nil {
			t.Skipf("no standard library source: %v", err)
		}
		w := string(want)
		for _, p := range ps {
			if !strings.Contains(w, p[0]) {
				t.Fatalf("%s: the patch does not apply:\n%s", file, p[0])
			}
			w = strings.Replace(w, p[0], p[1], 1)
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != w {
			t.Errorf("%s is not %s with its patches", file, std)
		}
	}
}

// TestNoMethodCalls: a template reads fields and map keys and calls
// functions, but not methods.
func TestNoMethodCalls(t *testing.T) {
	data := struct {
		Name string
		Vars map[string]string
		T    withMethod
	}{"web", map[string]string{"k": "v"}, withMethod{}}
	run := func(text string) (string, error) {
		tmpl, err := New("t").Funcs(FuncMap{"up": strings.ToUpper}).Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		err = tmpl.Execute(&out, data)
		return out.String(), err
	}
	if got, err := run(`{{.Name}} {{.Vars.k}} {{up .Name}} {{range $k, $v := .Vars}}{{$k}}={{$v}}{{end}}`); err != nil || got != "web v WEB k=v" {
		t.Errorf("got %q, %v", got, err)
	}
	if _, err := run(`{{.T.Hello}}`); err == nil || !strings.Contains(err.Error(), "can't evaluate field Hello") {
		t.Errorf("a method call: got %v", err)
	}
}

type withMethod struct{}

func (withMethod) Hello() string { return "hello" }

// TestCfngenLinksNoMethodLookup: cfngen imports neither text/template nor
// html/template, whose method lookup would keep every exported method in
// its binary again.
func TestCfngenLinksNoMethodLookup(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/cfngen/cfngen/cmd/cfngen").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "text/template" || p == "html/template" {
			t.Errorf("cfngen imports %s; use github.com/cfngen/cfngen/template/internal/text/template", p)
		}
	}
}
