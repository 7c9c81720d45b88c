package golden

import (
	"path/filepath"
	"strings"
)

// Layers returns the config files of the golden config at path, in the
// order cfngen reads them: NAME.ENV.config.yaml is an overlay on
// NAME.config.yaml, so its template NAME.ENV.yaml is that of
// `cfngen -c NAME.config.yaml -c NAME.ENV.config.yaml`.
func Layers(path string) []string {
	dir, file := filepath.Split(path)
	name := strings.TrimSuffix(file, ".config.yaml")
	i := strings.LastIndex(name, ".")
	if i < 0 || name == file {
		return []string{path}
	}
	return append(Layers(filepath.Join(dir, name[:i]+".config.yaml")), path)
}
