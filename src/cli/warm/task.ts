// What a task command (list, add, update…) loads, as one import: the group, the app and the
// services it calls. Imported as one graph before the group (tests/cli/startup_graph_test.ts):
// concurrent imports would each read and compile the modules they share.
import "../commands/task.ts";
import "../../app.ts";
import "../../services/tasks.ts";
import "../../services/projects.ts";
