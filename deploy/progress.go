package deploy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/internal/progress"
)

// tracker prints the events and the progress of one operation on Log.
type tracker struct {
	d       *Deployer
	op      *operation
	line    *progress.Line
	idWidth int
	tyWidth int
	done    map[string]bool
	failed  []types.StackEvent
}

func (d *Deployer) newTracker(op *operation) *tracker {
	p := &tracker{d: d, op: op, line: d.line(), idWidth: len(op.stackName), tyWidth: len(stackType), done: map[string]bool{}}
	for id, ty := range op.resources {
		p.idWidth = max(p.idWidth, len(id))
		p.tyWidth = max(p.tyWidth, len(ty))
	}
	return p
}

// events prints each event on its own line and counts finished resources.
func (p *tracker) events(evs []types.StackEvent) {
	if len(evs) == 0 {
		return
	}
	evs = slices.DeleteFunc(evs, func(e types.StackEvent) bool {
		return string(e.ResourceStatus) == string(types.StackStatusReviewInProgress)
	})
	if len(evs) == 0 {
		return
	}
	p.line.Clear()
	for _, e := range evs {
		// Widths only grow, so that the lines of a batch line up.
		p.idWidth = max(p.idWidth, len(aws.ToString(e.LogicalResourceId)))
		p.tyWidth = max(p.tyWidth, len(aws.ToString(e.ResourceType)))
	}
	log := p.d.log()
	for _, e := range evs {
		if p.op.id == "" {
			p.op.id = aws.ToString(e.OperationId)
		}
		id, ty, status := aws.ToString(e.LogicalResourceId), aws.ToString(e.ResourceType), string(e.ResourceStatus)
		if ty != stackType || id != p.op.stackName {
			if strings.HasSuffix(status, "_FAILED") {
				p.failed = append(p.failed, e)
			}
			_, known := p.op.resources[id]
			if (known || p.op.resources == nil) && (strings.HasSuffix(status, "_COMPLETE") || strings.HasSuffix(status, "_FAILED")) {
				p.done[id] = true
			}
		}
		line := fmt.Sprintf("%s  %s  %-*s  %-*s  %s", p.d.clock(e.Timestamp), p.tally(), p.idWidth, id, p.tyWidth, ty, p.d.paint(status))
		if r := aws.ToString(e.ResourceStatusReason); r != "" {
			line += "  " + r
		}
		fmt.Fprintln(log, line)
	}
	p.line.Printed()
}

// tick shows that the operation goes on.
func (p *tracker) tick() {
	p.line.Tick(fmt.Sprintf("%s %s, %s elapsed", p.d.paint(string(p.op.status)), p.counts(), p.elapsed()))
}

// tally is the count of resources done, out of the total when known,
// padded so that event lines line up.
func (p *tracker) tally() string {
	if p.op.resources == nil {
		return fmt.Sprintf("%3d", len(p.done))
	}
	n := len(strconv.Itoa(len(p.op.resources)))
	return fmt.Sprintf("%*d/%d", n, len(p.done), len(p.op.resources))
}

func (p *tracker) counts() string {
	if p.op.resources == nil {
		return fmt.Sprintf("(%d resources done)", len(p.done))
	}
	return fmt.Sprintf("(%d/%d resources done)", len(p.done), len(p.op.resources))
}

func (p *tracker) elapsed() time.Duration {
	return p.d.now().Sub(p.op.start).Round(time.Second)
}

// clock formats an event time in the Deployer clock's location.
func (d *Deployer) clock(t *time.Time) string {
	if t == nil {
		return "--:--:--"
	}
	return t.In(d.now().Location()).Format("15:04:05")
}
