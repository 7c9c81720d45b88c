// Package deploy creates or updates a CloudFormation stack through a change
// set, shows what the change set will do, asks before anything is removed or
// replaced, executes it and follows the stack's events until CloudFormation
// is done.
//
// A [Deployer] holds the clients and the two output streams: Out carries the
// product (the plan and the stack outputs), Log carries progress and notes.
// [Deployer.Deploy] runs the whole flow for an [Input]; [Deployer.Diff] only
// creates, prints and deletes a change set; [Deployer.Execute] runs a change
// set left for review, with the same consent; [Deployer.ChangeSets] lists a
// stack's change sets; [Deployer.Drift] detects drift; [Deployer.Destroy]
// deletes a stack; [Deployer.Outputs] reads its outputs.
//
// The plan is the [ChangeSet], read with every page and its property values
// (DescribeChangeSet with IncludePropertyValues), and completed with the
// parameter and tag changes, the replacements predicted from the deployed
// template and the new one (package predict) where CloudFormation says
// nothing, the IAM and security-group changes ([SecurityChanges]) and what
// the update does to the site ([Impact]). [ChangeSet.WriteText] writes it
// for a person, [ChangeSet.WriteJSON] for a program ([PlanVersion]).
//
// Nothing is deleted or replaced, and no access widened, without consent,
// and the guard fails closed: a change set that removes a resource or may
// replace one, or of which neither CloudFormation nor the prediction says
// whether it replaces one ([Change.Risk]), needs [Input].AllowReplacement
// or the stack name typed at the [Prompter], even with [Input].Yes; an
// update that widens access, or whose access cannot be compared, needs
// [Input].AllowBroadening the same way; any other change set needs Yes or a
// yes at the prompt. Without a terminal (a nil Prompt) the Deployer never
// waits for an answer: it stops with a [*ConsentError].
//
// A run removes what it made, and only that, when its change set will not
// be executed, whatever the cause: no consent, an error, an interrupt, the
// timeout, an Out that cannot be written. It tells its own stack from
// another by ID: a CREATE change set reuses a stack left in
// REVIEW_IN_PROGRESS, as CloudFormation does, and that stack, and the change
// sets on it, are left alone. When the answer to CreateChangeSet is lost,
// it looks for the change set by name for a while; it waits for a change
// set that CloudFormation still computes before deleting it. Clean-up runs
// on a context of its own with a bound of its own. After any failure once a
// change set exists, it asks CloudFormation what happened and says it on
// Log: the execution runs (it follows it), the change set is left (with the
// commands to execute or delete it), or it was removed. After an interrupt
// or the timeout during an execution, it reads the stack's status again and
// says how it stands.
//
// Every AWS call of a run is bounded by [Input].Timeout; the HTTP client's
// own timeouts bound each request. A failed call comes back as a
// [*CallError], whose message says in plain words what went wrong (no
// credentials, access denied to an action, an unknown host, no answer from
// an endpoint) and which matches sentinels such as [ErrCredentials] and
// [ErrUnreachable]. Other outcomes are typed too: [ErrNoChanges],
// [*StackStateError], [*StoppedError], [*FailedError] (with the failure
// that came first and is not a cancellation: [FailedError].Cause, read
// from DescribeEvents where the endpoint has it, else from the stack's
// events), [*ProtectedError], [*ChangeSetStateError]; an interrupt matches
// [context.Canceled]; a call that the endpoint does not implement, such as
// drift detection on a local emulator, matches [ErrUnsupported]. The
// package never names command-line flags: a command line turns these into
// its own hints.
//
// The Deployer polls with its own schedule (at once, then from 200 ms
// growing by half up to every 2 s) rather than the SDK waiters, and reads
// the final status again: a rollback is a failure, [ErrFailed]. A stack
// that a change set creates is followed from its first event; an operation
// that has ended by the first look (a server that works within the call)
// has nothing to follow.
//
// The package talks to CloudFormation through the narrow [API] interface, to
// S3 through [Uploader] and to EC2 through [Console], all satisfied by the
// aws-sdk-go-v2 clients.
package deploy
