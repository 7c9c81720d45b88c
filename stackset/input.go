package stackset

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/cfngen/cfngen/cfnrules"
)

// PermissionModel is how StackSets gets the rights to deploy into the
// target accounts.
type PermissionModel string

const (
	// SelfManaged: roles the user created; targets are account IDs.
	SelfManaged PermissionModel = "SELF_MANAGED"
	// ServiceManaged: roles that Organizations manages; targets are
	// organizational units (or the root).
	ServiceManaged PermissionModel = "SERVICE_MANAGED"
)

// The roles a self-managed stack set uses when none are named: the
// administration role in the calling account and the execution role in
// each target account.
const (
	DefaultAdminRoleName = "AWSCloudFormationStackSetAdministrationRole"
	DefaultExecutionRole = "AWSCloudFormationStackSetExecutionRole"
)

// Input is one deploy of a stack set.
type Input struct {
	Name     string
	Template []byte // YAML or JSON
	Model    PermissionModel

	Accounts []string // targets of a self-managed stack set
	OrgUnits []string // targets of a service-managed one: OU or root IDs
	Regions  []string

	AdminRoleARN      string // self-managed; "" keeps the stack set's, or the service's default
	ExecutionRoleName string // self-managed; "" keeps the stack set's, or the service's default
	DelegatedAdmin    bool   // call as a delegated administrator of the organization

	Preferences Preferences

	// MinZones is the number of Availability Zones the template spreads
	// over; each target region must have as many. 0 skips the check.
	MinZones int

	Yes          bool // act without asking (removals still need AllowRemoval)
	AllowRemoval bool // consent to delete stack instances and to remove resources from the template
}

// Preferences are the operation preferences: how many accounts at once,
// how many failures before a region stops, and the order of the regions.
// The zero value is the safe default: one account and one region at a
// time, no failure tolerated, regions in the order given.
type Preferences struct {
	MaxConcurrent    Amount // accounts per region at once; zero: 1
	FailureTolerance Amount // failures per region before the operation stops there
	RegionOrder      []string
	ParallelRegions  bool
}

// Amount is a count of accounts, or a percentage of them.
type Amount struct {
	N       int
	Percent bool
}

func (a Amount) String() string {
	if a.Percent {
		return strconv.Itoa(a.N) + "%"
	}
	return strconv.Itoa(a.N)
}

// ParseAmount reads "N" or "N%".
func ParseAmount(s string) (Amount, error) {
	num, pct := strings.CutSuffix(s, "%")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || strings.HasPrefix(num, "+") {
		return Amount{}, fmt.Errorf("%q: want a whole number N or a percentage N%%", s)
	}
	return Amount{N: n, Percent: pct}, nil
}

func (p Preferences) api() *types.StackSetOperationPreferences {
	out := &types.StackSetOperationPreferences{RegionConcurrencyType: types.RegionConcurrencyTypeSequential}
	if p.ParallelRegions {
		out.RegionConcurrencyType = types.RegionConcurrencyTypeParallel
	}
	switch mc := p.MaxConcurrent; {
	case mc.N == 0:
		out.MaxConcurrentCount = aws.Int32(1)
	case mc.Percent:
		out.MaxConcurrentPercentage = aws.Int32(int32(mc.N))
	default:
		out.MaxConcurrentCount = aws.Int32(int32(mc.N))
	}
	if ft := p.FailureTolerance; ft.Percent {
		out.FailureTolerancePercentage = aws.Int32(int32(ft.N))
	} else {
		out.FailureToleranceCount = aws.Int32(int32(ft.N))
	}
	out.RegionOrder = p.RegionOrder
	return out
}

// The patterns, compiled on first use so that commands that never check
// a stack set pay nothing.
var (
	accountRE = lazyRE(`^[0-9]{12}$`)
	orgUnitRE = lazyRE(`^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$`)
	roleARNRE = lazyRE(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$`)
	roleRE    = lazyRE(`^[A-Za-z0-9+=,.@_-]+$`)
)

func lazyRE(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// ValidAccount reports why id is not an AWS account ID.
func ValidAccount(id string) error {
	if !accountRE().MatchString(id) {
		return fmt.Errorf("%q is not an account ID (12 digits)", clip(id))
	}
	return nil
}

// ValidOrgUnit reports why id is not an organizational unit ID (ou-...) or
// an organization root ID (r-...).
func ValidOrgUnit(id string) error {
	if !orgUnitRE().MatchString(id) {
		return fmt.Errorf("%q is not an organizational unit ID (ou-xxxx-xxxxxxxx) or root ID (r-xxxx)", clip(id))
	}
	return nil
}

// ValidRoleARN reports why arn is not an IAM role ARN.
func ValidRoleARN(arn string) error {
	if len(arn) > 2048 || !roleARNRE().MatchString(arn) {
		return fmt.Errorf("%q is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", clip(arn))
	}
	return nil
}

// ValidRoleName reports why name is not an IAM role name.
func ValidRoleName(name string) error {
	if len(name) > 64 || !roleRE().MatchString(name) {
		return fmt.Errorf("%q is not an IAM role name (1 to 64 letters, digits and +=,.@_-)", clip(name))
	}
	return nil
}

// ValidList checks each item of a list with valid and refuses an empty
// list, empty items and duplicates.
func ValidList(items []string, valid func(string) error) error {
	if len(items) == 0 {
		return errors.New("the list is empty")
	}
	seen := map[string]bool{}
	for _, it := range items {
		if it == "" {
			return errors.New("an item is empty")
		}
		if err := valid(it); err != nil {
			return err
		}
		if seen[it] {
			return fmt.Errorf("%s is given twice", it)
		}
		seen[it] = true
	}
	return nil
}

// Check reports why the preferences are not valid for the regions.
func (p Preferences) Check(regions []string) error {
	switch mc := p.MaxConcurrent; {
	case mc.N < 0, mc.Percent && (mc.N < 1 || mc.N > 100):
		return &InputError{"MaxConcurrent", fmt.Sprintf("%s: want 1 or more, or 1%% to 100%%", mc)}
	}
	if ft := p.FailureTolerance; ft.N < 0 || ft.Percent && ft.N > 100 {
		return &InputError{"FailureTolerance", fmt.Sprintf("%s: want 0 or more, or 0%% to 100%%", ft)}
	}
	if len(p.RegionOrder) == 0 {
		return nil
	}
	if p.ParallelRegions {
		return &InputError{"RegionOrder", "regions deployed in parallel have no order"}
	}
	if err := ValidList(p.RegionOrder, cfnrules.ValidRegion); err != nil {
		return &InputError{"RegionOrder", err.Error()}
	}
	for _, r := range p.RegionOrder {
		if !slices.Contains(regions, r) {
			return &InputError{"RegionOrder", fmt.Sprintf("%s is not one of the target regions (%s)", r, strings.Join(regions, ", "))}
		}
	}
	return nil
}

// Check validates the input without any call: the errors about a field
// are *InputError.
func (in *Input) Check() error {
	if err := cfnrules.ValidStackSetName(in.Name); err != nil {
		return &InputError{"Name", err.Error()}
	}
	if err := ValidList(in.Regions, cfnrules.ValidRegion); err != nil {
		return &InputError{"Regions", err.Error()}
	}
	switch in.Model {
	case SelfManaged:
		if len(in.OrgUnits) > 0 {
			return &InputError{"OrgUnits", "a self-managed stack set targets accounts, not organizational units"}
		}
		if err := ValidList(in.Accounts, ValidAccount); err != nil {
			return &InputError{"Accounts", err.Error()}
		}
		if in.DelegatedAdmin {
			return &InputError{"DelegatedAdmin", "only a service-managed stack set has a delegated administrator"}
		}
	case ServiceManaged:
		if len(in.Accounts) > 0 {
			return &InputError{"Accounts", "a service-managed stack set targets organizational units, not accounts"}
		}
		if err := ValidList(in.OrgUnits, ValidOrgUnit); err != nil {
			return &InputError{"OrgUnits", err.Error()}
		}
		if in.AdminRoleARN != "" {
			return &InputError{"AdminRoleARN", "a service-managed stack set uses the roles Organizations manages"}
		}
		if in.ExecutionRoleName != "" {
			return &InputError{"ExecutionRoleName", "a service-managed stack set uses the roles Organizations manages"}
		}
	default:
		return &InputError{"Model", fmt.Sprintf("%q: want %s or %s", in.Model, SelfManaged, ServiceManaged)}
	}
	if in.AdminRoleARN != "" {
		if err := ValidRoleARN(in.AdminRoleARN); err != nil {
			return &InputError{"AdminRoleARN", err.Error()}
		}
	}
	if in.ExecutionRoleName != "" {
		if err := ValidRoleName(in.ExecutionRoleName); err != nil {
			return &InputError{"ExecutionRoleName", err.Error()}
		}
	}
	if err := in.Preferences.Check(in.Regions); err != nil {
		return err
	}
	if len(in.Template) > cfnrules.MaxTemplateBody {
		return fmt.Errorf("%w: %d bytes is over the %d-byte limit for an inline template", ErrTemplateTooLarge, len(in.Template), cfnrules.MaxTemplateBody)
	}
	if in.MinZones < 0 {
		return &InputError{"MinZones", "must not be negative"}
	}
	return nil
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
