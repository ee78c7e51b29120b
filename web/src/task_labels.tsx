// Labels on a task: pills with ×, and an input that suggests the project's labels or creates a new one.
import { useState } from "preact/hooks";
import { api, seg } from "./api.ts";
import { useAsync } from "./hooks.ts";
import { writeTask } from "./task_write.ts";
import { LabelPills, useFail } from "./ui.tsx";
import { labelNames } from "../../src/domain/models.ts";
import type { Label, Task } from "./types.ts";

export function LabelEditor({ task, reload }: { task: Task; reload: () => void }) {
  const fail = useFail();
  const [adding, setAdding] = useState(false);
  const [name, setName] = useState("");
  const alias = task.project?.alias ?? "";
  const known = useAsync(
    () => (alias
      ? api.get<{ labels: Label[] }>("/api/labels", { project: alias })
      : Promise.resolve({ labels: [] })),
    [alias, adding],
  );
  const have = new Set(labelNames(task));
  const suggestions = (known.data?.labels ?? []).map((l) => l.name).filter((n) => !have.has(n));

  const add = async (raw: string) => {
    const n = raw.trim();
    if (!n) return;
    try {
      await writeTask(task, () => api.post<Task>(`/api/tasks/${task.ref}/labels`, { name: n }));
      setName("");
      setAdding(false);
      reload();
    } catch (e) {
      fail(e);
    }
  };
  const remove = async (n: string) => {
    try {
      await writeTask(task, () => api.del<Task>(`/api/tasks/${task.ref}/labels/${seg(n)}`));
      reload();
    } catch (e) {
      fail(e);
    }
  };
  return (
    <div class="label-editor">
      <LabelPills labels={labelNames(task)} onRemove={remove} />
      {adding
        ? (
          <span class="label-add">
            <input
              list="label-suggestions"
              aria-label="Label name"
              placeholder="label"
              value={name}
              ref={(el) => el?.focus()}
              onInput={(e) => setName(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === "Enter") add(name);
                if (e.key === "Escape") (e.stopPropagation(), setAdding(false));
              }}
            />
            <datalist id="label-suggestions">
              {suggestions.map((s) => <option key={s} value={s} />)}
            </datalist>
            <button type="button" class="small" onClick={() => add(name)}>Add</button>
          </span>
        )
        : <button type="button" class="ghost tiny" onClick={() => setAdding(true)}>+ Label</button>}
    </div>
  );
}
