package deploy

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"time"

	"github.com/cfngen/cfngen/internal/progress"
)

// Deployer deploys stacks. Only CFN is required; the zero values of the
// other fields mean no output, no terminal and the real clock.
type Deployer struct {
	CFN API
	S3  Uploader // used only when Input.S3Bucket is set
	// EC2, when set, reads the console of an instance that signalled
	// failure, for the line in which cfngen's user data says why.
	EC2    Console
	Region string // region of the S3 template URL

	Out      io.Writer // the product: change-set table, outputs (stdout)
	Log      io.Writer // progress and notes (stderr)
	Prompt   Prompter  // nil: no terminal to ask on
	Terminal bool      // Log is a terminal: one live line rewritten in place
	Color    bool      // colour statuses on Log
	// Width shortens the values in the plan on Out to that many
	// characters, as for a terminal; 0 writes them whole.
	Width int

	// Test seams.
	Now       func() time.Time                                 // default time.Now
	Sleep     func(ctx context.Context, d time.Duration) error // default: a timer that the context stops
	Heartbeat time.Duration                                    // without a terminal, the longest silence; default 30s
	Rand      io.Reader                                        // for change-set names and tokens; default crypto/rand
}

// ready reports a Deployer that cannot work, rather than panic later.
func (d *Deployer) ready() error {
	if d.CFN == nil {
		return errors.New("deploy: Deployer has no CloudFormation client")
	}
	return nil
}

func (d *Deployer) out() io.Writer {
	if d.Out == nil {
		return io.Discard
	}
	return d.Out
}

func (d *Deployer) log() io.Writer {
	if d.Log == nil {
		return io.Discard
	}
	return d.Log
}

func (d *Deployer) now() time.Time {
	if d.Now == nil {
		return time.Now()
	}
	return d.Now()
}

func (d *Deployer) sleep(ctx context.Context, t time.Duration) error {
	if d.Sleep == nil {
		return progress.Sleep(ctx, t)
	}
	return d.Sleep(ctx, t)
}

func (d *Deployer) rand() io.Reader {
	if d.Rand == nil {
		return rand.Reader
	}
	return d.Rand
}

// changeSetName returns a new name such as cfngen-20261128030600-a1b2.
func (d *Deployer) changeSetName() string {
	return progress.Name("", d.now(), d.rand(), 2)
}

// token returns a new client request token for a call of the given kind.
func (d *Deployer) token(kind string) string {
	return progress.Name(kind, d.now(), d.rand(), 4)
}

// paint colours a status when Color is set.
func (d *Deployer) paint(s string) string { return progress.Paint(d.Color, s) }

// line returns the live line of an operation, on Log.
func (d *Deployer) line() *progress.Line {
	l := &progress.Line{W: d.log(), Terminal: d.Terminal, Heartbeat: d.Heartbeat, Now: d.now}
	l.Printed()
	return l
}
