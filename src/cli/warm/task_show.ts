// What `task show` loads, as one import (see ./task.ts): the group, the app, the task service, the
// runs service and the plan and comment repositories it reads.
import "../commands/task.ts";
import "../../app.ts";
import "../../services/tasks.ts";
import "../../services/runs.ts";
import "../../db/repos/plans.ts";
import "../../db/repos/comments.ts";
