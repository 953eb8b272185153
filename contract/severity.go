package contract

import (
	"bufio"
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/oasdiff/oasdiff/checker"
)

//go:embed severity-levels.txt
var severityLevelsFile string

// SeverityLevels returns the levels that this project sets for oasdiff's checks where
// oasdiff's defaults are too lenient for an SDK, read from severity-levels.txt.
func SeverityLevels() (map[string]checker.Level, error) {
	return parseSeverityLevels(severityLevelsFile)
}

// parseSeverityLevels reads lines of "check-id level", skipping blank lines and
// comments. It rejects an unknown check id, which oasdiff would otherwise end the
// program on.
func parseSeverityLevels(text string) (map[string]checker.Level, error) {
	known := checker.GetAllRuleIds()
	levels := map[string]checker.Level{}

	scanner := bufio.NewScanner(strings.NewReader(text))
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}

		fields := strings.Fields(line)
		if len(fields) != 2 {
			return nil, fmt.Errorf("severity levels line %d: want \"check-id level\", got %q", n, line)
		}

		if !slices.Contains(known, fields[0]) {
			return nil, fmt.Errorf("severity levels line %d: unknown check id %q", n, fields[0])
		}

		level, err := checker.NewLevel(fields[1])
		if err != nil {
			return nil, fmt.Errorf("severity levels line %d: %w", n, err)
		}
		levels[fields[0]] = level
	}

	return levels, scanner.Err()
}
