// Package deploy creates or updates a CloudFormation stack through a change
// set, shows what the change set will do, asks before anything is removed or
// replaced, executes it and follows the stack's events until CloudFormation
// is done.
//
// A [Deployer] holds the clients and the two output streams: Out carries the
// product (the change-set table and the stack outputs), Log carries progress
// and notes. [Deployer.Deploy] runs the whole flow for an [Input];
// [Deployer.Diff] only creates, prints and deletes a change set;
// [Deployer.Destroy] deletes a stack; [Deployer.Outputs] reads its outputs.
//
// Nothing is deleted or replaced without consent. A change set that removes
// a resource or may replace one needs [Input].AllowReplacement or the stack
// name typed at the [Prompter], even with [Input].Yes; any other change set
// needs Yes or a yes at the prompt. Without a terminal (a nil Prompt) the
// Deployer never waits for an answer: it stops and returns [ErrNeedsConsent] (or
// [ErrReplacementRefused]).
// A change set that will not be executed is deleted, with the empty stack of
// a first create, so that nothing blocks the next run.
//
// The Deployer polls with its own schedule (at once, then from 200 ms
// growing by half up to 5 s) rather than the SDK waiters, and reads the
// final status again: a rollback is a failure, [ErrFailed].
//
// Outcomes that a command line maps to exit codes are returned as errors
// wrapping exported sentinels such as [ErrNoChanges], [ErrNeedsConsent] and
// [ErrFailed]; an interrupt returns an error wrapping [context.Canceled].
// Messages from the AWS APIs are shown as they are.
//
// The package talks to CloudFormation through the narrow [API] interface and
// to S3 through [Uploader], both satisfied by the aws-sdk-go-v2 clients.
package deploy
