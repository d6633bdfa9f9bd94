// Quick actions: the organisation's named actions from the prompt library
// (GET /me "actions"), one click each, asking only for the inputs they declare.

import { h, replace, uid, reveal } from "../dom.js";
import { t } from "../i18n.js";
import { replyBodies } from "../text.js";
import { renderMeta, renderProblem } from "./notices.js";
import { perform } from "../run.js";

/** normaliseActions keeps well-formed actions from /me. */
export function normaliseActions(list) {
  return (Array.isArray(list) ? list : [])
    .filter((a) => a && typeof a.name === "string" && a.name)
    .map((a) => ({
      name: a.name,
      label: a.label || a.name,
      description: a.description || "",
      kind: a.kind || "",
      inputs: (Array.isArray(a.inputs) ? a.inputs : [])
        .filter((i) => i && typeof i.name === "string" && i.name)
        .map((i) => ({ name: i.name, label: i.label || i.name, required: !!i.required })),
    }));
}

/** missingInputs returns the labels of required inputs left empty. */
export function missingInputs(action, values) {
  return action.inputs.filter((i) => i.required && !String(values[i.name] ?? "").trim()).map((i) => i.label);
}

/** collectInputs keeps only the declared inputs, trimmed, dropping empty optional ones. */
export function collectInputs(action, values) {
  const out = {};
  for (const i of action.inputs) {
    const v = String(values[i.name] ?? "").trim();
    if (v) out[i.name] = v;
  }
  return out;
}

/** createActionsView returns {el, setMessage(cur), setActions(list), setBlocked(reasonId)}. */
export function createActionsView(ctx) {
  const list = h("div", { class: "action-buttons", "data-role": "actions" });
  const form = h("form", { class: "action-form", hidden: true, novalidate: true });
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const out = h("div", { class: "result", "data-role": "action-result" });
  const el = h("section", { class: "view" }, list, form, status, out);
  let actions = [];
  let busy = false;
  let blockedBy = null;

  function renderList() {
    if (!actions.length) {
      replace(list, h("p", { class: "hint" }, t("actions.none")));
      return;
    }
    replace(
      list,
      actions.map((a) =>
        h(
          "button",
          { type: "button", class: "btn btn--tertiary", "data-action-name": a.name, title: a.description || null, disabled: !!blockedBy, "aria-describedby": blockedBy, onclick: () => choose(a) },
          a.label,
        ),
      ),
    );
  }

  function choose(a) {
    if (!ctx.current() || busy || blockedBy) return;
    if (!a.inputs.length) {
      runAction(a, {});
      return;
    }
    const fields = a.inputs.map((i) => {
      const id = uid("in");
      return h(
        "div",
        { class: "field" },
        h("label", { for: id }, i.label, i.required ? h("span", { class: "req" }, " " + t("actions.required")) : null),
        h("input", { id, name: i.name, type: "text", required: i.required, autocomplete: "off" }),
      );
    });
    const cancel = h("button", { type: "button", class: "btn btn--secondary" }, t("actions.cancel"));
    cancel.addEventListener("click", () => {
      form.hidden = true;
      replace(form);
    });
    replace(
      form,
      h("fieldset", {}, h("legend", {}, a.label), a.description ? h("p", { class: "hint" }, a.description) : null, fields),
      h("div", { class: "buttons" }, h("button", { type: "submit", class: "btn btn--primary" }, t("actions.run")), cancel),
    );
    form.onsubmit = (e) => {
      e.preventDefault();
      const values = Object.fromEntries(new FormData(form).entries());
      const missing = missingInputs(a, values);
      if (missing.length) {
        status.textContent = t("actions.missing", { fields: missing.join(", ") });
        const first = form.querySelector("input:invalid, input[required]");
        if (first) first.focus();
        return;
      }
      form.hidden = true;
      runAction(a, collectInputs(a, values));
    };
    form.hidden = false;
    const first = form.querySelector("input");
    if (first) first.focus();
  }

  async function runAction(a, inputs) {
    const cur = ctx.current();
    if (!cur) return;
    busy = true;
    const run = ctx.runs.start(cur);
    replace(out);
    const stream = h("div", { class: "stream", "aria-busy": "true" });
    out.appendChild(stream);
    status.textContent = t("actions.running");
    let raw = "";
    await perform(
      run,
      async ({ signal }) => {
        const ref = await ctx.ref(cur);
        return ctx.api.action(a.name, ref, inputs, {
          signal,
          onToken: run.guard((chunk) => {
            raw += chunk;
            stream.textContent = raw;
          }),
        });
      },
      {
        onAnswer(answer) {
          const result = answer.result || {};
          const text = result.text || raw;
          const copyBtn = h("button", { type: "button", class: "btn btn--secondary" }, t("summary.copy"));
          copyBtn.addEventListener("click", async () => {
            status.textContent = (await ctx.copy(text)) ? t("summary.copied") : t("copy.failed");
          });
          const insertBtn = h("button", { type: "button", class: "btn btn--secondary" }, t("reply.insert"));
          insertBtn.addEventListener("click", async () => {
            // Only into the reply of the message the result was written for, while it is the one shown.
            if (!run.isCurrent()) return;
            try {
              const res = await ctx.host.insertReply(replyBodies(result, text), false, run.message);
              if (run.isCurrent()) status.textContent = res && res.notice ? t(res.notice) : res && res.preview ? "" : t("reply.inserted");
            } catch (err) {
              if (run.isCurrent()) out.appendChild(renderProblem(err));
            }
          });
          replace(
            out,
            h("h3", {}, t("actions.result", { label: a.label })),
            renderMeta(answer.meta),
            h("div", { class: "preview__body", "data-role": "action-text" }, text),
            h("div", { class: "buttons" }, copyBtn, insertBtn),
          );
          status.textContent = "";
          reveal(out);
        },
        onError(err) {
          status.textContent = "";
          replace(out, renderProblem(err));
          reveal(out);
        },
      },
    );
    if (run.isCurrent()) busy = false;
  }

  renderList();
  return {
    el,
    setActions(listFromMe) {
      actions = normaliseActions(listFromMe);
      renderList();
    },
    setMessage() {
      busy = false;
      blockedBy = null;
      form.hidden = true;
      replace(form);
      replace(out);
      status.textContent = "";
      renderList();
    },
    /** setBlocked disables the actions, described by the element reasonId, or enables them (null). */
    setBlocked(reasonId) {
      blockedBy = reasonId || null;
      if (blockedBy) {
        form.hidden = true;
        replace(form);
      }
      renderList();
    },
  };
}
