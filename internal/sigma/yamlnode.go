package sigma

import "gopkg.in/yaml.v3"

// maxAliasDepth bounds how many YAML aliases are followed in a chain.
const maxAliasDepth = 32

// deref follows YAML aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < maxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

// entry is one key/value pair of a YAML mapping.
type entry struct {
	key   string
	kn    *yaml.Node
	value *yaml.Node
}

// entries returns the pairs of a mapping node in document order and
// rejects non-scalar and duplicate keys.
func entries(file string, n *yaml.Node, what string) ([]entry, error) {
	n = deref(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil, posOf(file, n).errorf("%s must be a mapping", what)
	}
	out := make([]entry, 0, len(n.Content)/2)
	seen := make(map[string]bool, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if k == nil || k.Kind != yaml.ScalarNode {
			return nil, posOf(file, n.Content[i]).errorf("%s: keys must be plain strings", what)
		}
		if seen[k.Value] {
			return nil, posOf(file, k).errorf("%s: duplicate key %q", what, k.Value)
		}
		seen[k.Value] = true
		out = append(out, entry{key: k.Value, kn: k, value: deref(n.Content[i+1])})
	}
	return out, nil
}

// isNull reports whether n is absent or a YAML null.
func isNull(n *yaml.Node) bool {
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// scalar returns the text of a scalar node; null gives "".
func scalar(file string, n *yaml.Node, what string) (string, error) {
	n = deref(n)
	if isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", posOf(file, n).errorf("%s must be a single value", what)
	}
	return n.Value, nil
}

// stringList accepts one scalar or a sequence of scalars.
func stringList(file string, n *yaml.Node, what string) ([]string, error) {
	n = deref(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{n.Value}, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, posOf(file, n).errorf("%s must be a list of values", what)
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, err := scalar(file, c, what)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}
