// Package stackset deploys one template to many accounts and regions
// through CloudFormation StackSets, and reads and deletes the stack set.
// It drives the service's operations rather than doing their work: the
// service creates, updates and deletes the stack instances with the
// concurrency and failure tolerance of the [Preferences].
//
// A [Manager] holds the clients and the two output streams: Out carries
// the product (the [Plan], the stack instances at the end, the status),
// Log carries progress and notes. [Manager.Deploy] creates or updates the
// stack set, adds the missing stack instances and removes those no longer
// targeted; [Manager.Status] reads the stack set, its instances and its
// last operations; [Manager.Destroy] deletes the instances, then the set.
//
// Before acting, Deploy prints the plan: targets (account × region, or
// organizational unit × region for a service-managed stack set) to add,
// update and remove, and the template's unified diff against the stack
// set's. Deleting stack instances, or resources from every instance, needs
// [Input].AllowRemoval or the stack set name typed at the [deploy.Prompter],
// even with [Input].Yes; anything else needs Yes or a yes at the prompt.
// Without a terminal (a nil Prompt) the Manager never waits for an answer.
// Deploy also checks that each target region has the Availability Zones
// the template spreads over ([Input].MinZones), with the EC2 client.
//
// Each operation is followed until it ends, polling at once and then
// backing off to every 2 s, with a line per stack instance whose status
// changes, a live line on a terminal and a heartbeat line without one.
// An operation already under way on the stack set, found at the start or
// through OperationInProgressException, is followed to its end first, so
// that running Deploy again attaches to it.
//
// Outcomes that a command line maps to exit codes are returned as errors
// wrapping exported sentinels ([ErrNoChanges], [ErrNeedsConsent],
// [ErrFailed], ...) or typed errors: [*OperationError] names an operation
// that failed, was stopped, or that an interrupt (context.Canceled) left
// running; [*ZonesError] names a region with too few Availability Zones;
// [*RoleError] a missing self-managed role. Messages from the AWS APIs are
// shown as they are. The package never names command-line flags.
//
// The package talks to CloudFormation through the narrow [API] interface
// and to EC2 through [ZonesAPI], both satisfied by the aws-sdk-go-v2
// clients.
package stackset
