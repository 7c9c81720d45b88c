package elblogs_test

import (
	"fmt"

	"github.com/cfngen/cfngen/internal/elblogs"
)

func ExamplePolicy() {
	fmt.Println(elblogs.Policy("us-east-1", "my-alb-logs", "web", "111122223333"))
	// Output:
	// {
	//   "Version": "2012-10-17",
	//   "Statement": [
	//     {
	//       "Sid": "ELBAccessLogs",
	//       "Effect": "Allow",
	//       "Principal": {
	//         "AWS": "arn:aws:iam::127311923021:root"
	//       },
	//       "Action": "s3:PutObject",
	//       "Resource": "arn:aws:s3:::my-alb-logs/web/AWSLogs/111122223333/*"
	//     }
	//   ]
	// }
}
