// Package ami decides which image a stack update gives its instances, so
// that the AMI changes only when asked.
//
// A template whose image is an SSM parameter path (the latest Amazon
// Linux 2023, by default) has two parameters: [ImageParameter], of an SSM
// parameter type, which CloudFormation resolves again at every stack
// update, and [PinParameter], an AMI ID, empty by default. While the pin
// is empty the instances take the latest image; an AMI ID there keeps
// them on it, whatever the SSM parameter says now ([PinCondition] chooses).
// The raw template deploys as it is with `aws cloudformation deploy`, which
// takes the latest image on create and on every update unless given the
// pin.
//
// [Choose] reads the deployed stack's parameters (DescribeStacks returns
// the image an SSM parameter resolved to as ResolvedValue) and returns the
// parameter values an update sends: the deployed image as the pin, unless
// the update asks for a new one, which then becomes the pin. A new stack
// is pinned to the image the SSM parameter names when it is created.
package ami
