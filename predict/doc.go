// Package predict tells what a CloudFormation stack update will do to each
// resource before CloudFormation says so: from the previous template and
// the new one, [Predict] returns a [Plan] of Add, Modify (in place),
// Replace, Conditional (may be replaced) and Remove, with the properties
// that change and, for a replacement, the create-only property that
// causes it. It needs no AWS call.
//
// Which properties are create-only comes from CloudFormation's resource
// schemas, vendored as a snapshot ([Schemas]) for the types cfngen emits.
// A changed property whose resource type is not in the snapshot may
// replace it.
//
// Values are compared as CloudFormation resolves them:
//   - A Ref to a resource replaced by the update changes (a new physical
//     ID); a Fn::GetAtt of it may change. An update in place keeps a
//     resource's Ref and attributes, except the few that it renews, such
//     as a launch template's LatestVersionNumber.
//   - A parameter takes the value given in [Options], else its default:
//     when the two defaults differ, the value may change (the stack may
//     have been given another one). A parameter of an SSM parameter type
//     without given values may change at every update: CloudFormation
//     resolves it again.
//   - Fn::Sub compares its text and each variable; Fn::FindInMap its
//     mapping entry. Fn::If takes the branch its condition chooses when
//     the condition can be evaluated (Fn::Equals of literals and of
//     parameters with values in [Options], Fn::Not, Fn::And, Fn::Or,
//     Condition); otherwise it compares both branches and the definition
//     of its condition. A resource with a Condition counts as present.
//
// Resource attributes (DependsOn, Metadata, CreationPolicy, UpdatePolicy,
// DeletionPolicy, UpdateReplacePolicy, Condition) change a resource in
// place. A changed Type makes a Replace, which CloudFormation refuses:
// "Update of resource type is not permitted".
//
// A caller that has a change set can fill in the replacements the service
// left unsaid with [Plan.Replacement].
package predict
