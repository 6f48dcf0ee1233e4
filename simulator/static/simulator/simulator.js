// The LINE simulator page: draws the timeline the server keeps, and sends
// what the resident does. The server builds and signs every webhook event and
// renders every message; this script only moves HTML and JSON around.
"use strict";

(() => {
  const base = "/simulator";
  const [headerName, headerValue] = document.querySelector('meta[name="simulator-header"]').content.split(":");
  const $ = (selector) => document.querySelector(selector);

  const state = {
    seq: 0,
    residents: [],
    current: localStorage.getItem("simulator.resident"),
    quickReply: {},   // userId -> HTML of the chips under the newest message
    unread: {},       // userId -> count
    richMenu: null,
    richMenus: { default: null },  // userId -> HTML of the menu linked to them; "default" for everyone else
  };

  // -- talking to the server --------------------------------------------------------

  async function post(path, body) {
    const headers = { [headerName]: headerValue };
    const init = { method: "POST", headers };
    if (body instanceof FormData) {
      init.body = body;
    } else {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body || {});
    }
    const response = await fetch(base + path, init);
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      toast(answer.error || `Error ${response.status}`);
      return null;
    }
    if (answer.webhookStatus && answer.webhookStatus !== 200) {
      toast(`The webhook answered ${answer.webhookStatus} / Webhookが${answer.webhookStatus}を返しました`);
    }
    return answer;
  }

  function forCurrent(path, body) {
    if (!state.current) return Promise.resolve(null);
    return post(`/residents/${encodeURIComponent(state.current)}${path}`, body);
  }

  async function poll() {
    let wait = "0";
    for (;;) {
      try {
        const response = await fetch(`${base}/feed?after=${state.seq}&wait=${wait}`);
        if (!response.ok) throw new Error(String(response.status));
        apply(await response.json());
        wait = "1";
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }

  // -- drawing --------------------------------------------------------------------------

  function chatOf(userId) {
    let chat = document.querySelector(`.chat[data-user="${CSS.escape(userId)}"]`);
    if (!chat) {
      chat = document.createElement("div");
      chat.className = "chat";
      chat.dataset.user = userId;
      chat.setAttribute("role", "log");
      chat.setAttribute("aria-live", "polite");
      chat.hidden = userId !== state.current;
      $("#chats").append(chat);
    }
    return chat;
  }

  function appendHtml(container, html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    container.append(template.content);
  }

  function stopTyping(chat) {
    chat.querySelectorAll(".typing").forEach((node) => node.remove());
  }

  function apply(feed) {
    let touched = false;
    for (const entry of feed.entries) {
      state.seq = Math.max(state.seq, entry.seq);
      if (entry.kind === "violation") {
        addViolation(entry.text);
        continue;
      }
      if (entry.kind === "webhook") {
        addWebhook(entry, feed.residents);
        continue;
      }
      const chat = chatOf(entry.userId);
      if (entry.kind === "loading") {
        stopTyping(chat);
        appendHtml(chat, '<div class="row row-bot typing"><div class="avatar" aria-hidden="true"></div>'
          + '<div class="bubble bubble-typing" aria-label="typing / 入力中"><span></span><span></span><span></span></div></div>');
        const node = chat.lastElementChild;
        setTimeout(() => node.remove(), entry.seconds * 1000);
      } else {
        if (entry.kind === "unsent") {
          chat.querySelectorAll(`[data-message-id="${CSS.escape(entry.messageId)}"]`).forEach((row) => row.remove());
        }
        if (entry.kind === "received") stopTyping(chat);
        appendHtml(chat, entry.html);
        if (["received", "sent", "shown"].includes(entry.kind)) {
          state.quickReply[entry.userId] = entry.kind === "received" ? entry.quickReply : "";
        }
        if (entry.userId !== state.current && entry.kind === "received") {
          state.unread[entry.userId] = (state.unread[entry.userId] || 0) + 1;
        }
      }
      if (entry.userId === state.current) touched = true;
    }
    state.residents = feed.residents;
    if (!state.current || !state.residents.some((r) => r.userId === state.current)) {
      if (state.residents.length) select(state.residents[0].userId, false);
    }
    drawResidents();
    drawQuickReply();
    state.richMenus = { ...(feed.richMenus || {}), default: feed.richMenu };
    drawRichMenu();
    if (touched) scrollToEnd();
  }

  function scrollToEnd() {
    const chat = state.current && chatOf(state.current);
    if (chat) chat.scrollTop = chat.scrollHeight;
  }

  function currentResident() {
    return state.residents.find((r) => r.userId === state.current);
  }

  function drawResidents() {
    const list = $("#resident-list");
    list.replaceChildren(...state.residents.map((resident) => {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "resident";
      button.dataset.resident = resident.userId;
      button.setAttribute("aria-pressed", String(resident.userId === state.current));
      const name = document.createElement("span");
      name.className = "resident-name";
      name.textContent = resident.displayName;
      const details = document.createElement("span");
      details.className = `resident-status status-${resident.status}`;
      details.textContent = `${resident.language} · ${statusLabel(resident.status)}`;
      button.append(name, details);
      const unread = state.unread[resident.userId];
      if (unread) {
        const badge = document.createElement("span");
        badge.className = "badge";
        badge.textContent = String(unread);
        badge.setAttribute("aria-label", `${unread} unread / 未読`);
        button.append(badge);
      }
      item.append(button);
      return item;
    }));
    const resident = currentResident();
    if (!resident) return;
    $("#chat-as").textContent = `as ${resident.displayName} (${resident.language}) ${resident.userId}`;
    const friend = resident.status === "friend";
    // Disabled until the first feed says who is talking.
    $("#follow-button").disabled = false;
    $("#block-button").disabled = false;
    $("#follow-button").hidden = friend;
    $("#follow-button").innerHTML = resident.status === "blocked"
      ? 'Unblock <span lang="ja">ブロック解除</span>' : 'Add friend <span lang="ja">友だち追加</span>';
    $("#block-button").hidden = !friend;
    $("#follow-prompt").hidden = friend;
    document.querySelector("[data-follow]").innerHTML = $("#follow-button").innerHTML;
    $("#follow-prompt-text").innerHTML = resident.status === "blocked"
      ? 'You have blocked the account. <span lang="ja">ブロック中です。</span>'
      : 'Add the account as a friend to start. <span lang="ja">友だち追加して始めましょう。</span>';
    $("#message-input").disabled = !friend;
    $("#composer .send").disabled = !friend;
    $("#attach-toggle").disabled = !friend;
    chatOf(resident.userId).lang = resident.language.startsWith("ja") ? "ja" : "en";
  }

  function statusLabel(status) {
    return { new: "not a friend / 未追加", friend: "friend / 友だち", blocked: "blocked / ブロック中" }[status] || status;
  }

  function drawQuickReply() {
    const html = (state.current && state.quickReply[state.current]) || "";
    const bar = $("#quick-replies");
    if (bar.dataset.html !== html) {
      bar.dataset.html = html;
      bar.innerHTML = html;
    }
  }

  function drawRichMenu() {
    const html = (state.current && state.richMenus[state.current]) || state.richMenus.default;
    if (html === state.richMenu) return;
    state.richMenu = html;
    $("#richmenu").innerHTML = html || "";
  }

  function select(userId, focus = true) {
    state.current = userId;
    localStorage.setItem("simulator.resident", userId);
    delete state.unread[userId];
    document.querySelectorAll(".chat").forEach((chat) => { chat.hidden = chat.dataset.user !== userId; });
    chatOf(userId);
    drawResidents();
    drawQuickReply();
    drawRichMenu();
    scrollToEnd();
    if (focus && !$("#message-input").disabled) $("#message-input").focus();
  }

  function addViolation(text) {
    const item = document.createElement("li");
    item.textContent = text;
    $("#violation-list").append(item);
    $("#violation-count").textContent = String($("#violation-list").children.length);
    $("#violations").hidden = false;
  }

  function addWebhook(entry, residents) {
    const resident = residents.find((r) => r.userId === entry.userId);
    const item = document.createElement("li");
    item.className = entry.status === 200 ? "" : "webhook-error";
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = `${entry.status} ${entry.eventType} — ${resident ? resident.displayName : entry.userId}`;
    const body = document.createElement("pre");
    body.textContent = entry.event;
    details.append(summary, body);
    item.append(details);
    $("#webhook-log").prepend(item);
  }

  let toastTimer = null;
  function toast(text) {
    const node = $("#toast");
    node.textContent = text;
    node.classList.add("shown");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => node.classList.remove("shown"), 4000);
  }

  // -- what the resident does ---------------------------------------------------------

  function tap(action, control) {
    if (control && control.closest("#quick-replies")) {
      // LINE hides the chips once one is tapped.
      state.quickReply[state.current] = "";
      drawQuickReply();
    }
    switch (action.type) {
      case "message":
      case "postback":
        if (action.inputOption === "openKeyboard" || action.fillInText) {
          $("#message-input").value = action.fillInText || "";
          $("#message-input").focus();
        }
        return forCurrent("/tap", { action });
      case "richmenuswitch":  // the platform switches the resident's menu, then the postback goes out
        return forCurrent("/tap", { action });
      case "datetimepicker":
        return openPicker(action);
      case "location":
        return $("#location-dialog").showModal();
      case "camera":
      case "cameraRoll":
        return $("#image-input").click();
      case "clipboard":
        return navigator.clipboard.writeText(action.clipboardText || "").then(() => toast("Copied / コピーしました"));
      default:
        toast(`The ${action.type} action is not simulated / このアクションは未対応です`);
        return null;
    }
  }

  let pickerAction = null;
  function openPicker(action) {
    pickerAction = action;
    const input = $("#picker-input");
    input.type = { date: "date", time: "time", datetime: "datetime-local" }[action.mode] || "date";
    input.min = action.min || "";
    input.max = action.max || "";
    input.value = action.initial || "";
    $("#picker-label").textContent = { date: "Date / 日付", time: "Time / 時刻", datetime: "Date and time / 日時" }[action.mode];
    $("#picker-title").textContent = action.label || "Choose / 選択";
    $("#picker-dialog").showModal();
  }

  $("#picker-dialog").addEventListener("close", () => {
    const value = $("#picker-input").value;
    if ($("#picker-dialog").returnValue === "ok" && pickerAction && value) {
      forCurrent("/tap", { action: pickerAction, picked: value });
    }
    pickerAction = null;
  });

  $("#location-dialog").addEventListener("close", () => {
    if ($("#location-dialog").returnValue !== "coordinates") return;
    forCurrent("/location", {
      latitude: $("#latitude").value,
      longitude: $("#longitude").value,
      title: $("#place-title").value,
    });
  });

  document.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action], [data-resident], [data-sticker], [data-area], [data-unsend], [data-follow], .richmenu-bar");
    if (!control) return;
    if (control.dataset.action) {
      event.preventDefault();
      tap(JSON.parse(control.dataset.action), control);
    } else if (control.dataset.resident) {
      select(control.dataset.resident);
    } else if (control.dataset.sticker) {
      forCurrent("/sticker", { stickerId: control.dataset.sticker });
      toggleAttach(false);
    } else if (control.dataset.area) {
      $("#location-dialog").close("area");
      forCurrent("/location", { area: control.dataset.area });
      toggleAttach(false);
    } else if (control.dataset.unsend) {
      forCurrent("/unsend", { messageId: control.dataset.unsend });
    } else if (control.hasAttribute("data-follow")) {
      forCurrent("/follow");
    } else if (control.classList.contains("richmenu-bar")) {
      const panel = $("#richmenu-panel");
      panel.hidden = !panel.hidden;
      control.setAttribute("aria-expanded", String(!panel.hidden));
    }
  });

  document.addEventListener("keydown", (event) => {
    const control = event.target.closest && event.target.closest('[role="button"][data-action]');
    if (control && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      control.click();
    }
  });

  $("#follow-button").addEventListener("click", () => forCurrent("/follow"));
  $("#block-button").addEventListener("click", () => forCurrent("/block"));

  $("#composer").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("#message-input");
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    const answer = await forCurrent("/say", { text });
    if (answer === null) input.value = text;
    input.focus();
  });

  $("#message-input").addEventListener("keydown", (event) => {
    // Enter sends, as in LINE on a computer; not while an IME is still converting.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("#composer").requestSubmit();
    }
  });

  function toggleAttach(open) {
    $("#attach-panel").hidden = !open;
    $("#attach-toggle").setAttribute("aria-expanded", String(open));
  }
  $("#attach-toggle").addEventListener("click", () => toggleAttach($("#attach-panel").hidden));
  $("#open-location").addEventListener("click", () => $("#location-dialog").showModal());
  $("#open-image").addEventListener("click", () => $("#image-input").click());
  $("#image-input").addEventListener("change", async () => {
    const file = $("#image-input").files[0];
    if (!file) return;
    const form = new FormData();
    form.append("image", file);
    await forCurrent("/image", form);
    $("#image-input").value = "";
    toggleAttach(false);
  });

  $("#add-resident").addEventListener("submit", async (event) => {
    event.preventDefault();
    const resident = await post("/residents", {
      displayName: $("#new-name").value,
      language: $("#new-language").value,
    });
    if (resident) {
      $("#new-name").value = "";
      state.residents.push(resident);
      select(resident.userId);
    }
  });

  poll();
})();
