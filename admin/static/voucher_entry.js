/* The voucher entry grid (admin/templates/coop/books/entry.html): keyboard-only entry of a voucher's lines.
   Enter or Tab moves to the next cell, Shift+Tab back; the account and member cells pick from lists by code, name
   or pinyin initials (computed by the server); the difference of debits and credits is shown as amounts change.
   Amounts are added in whole fen (integers), never in floating yuan. The server checks and saves everything. */
(function () {
  "use strict";
  const form = document.getElementById("voucher-form");
  if (!form) return;
  const body = document.getElementById("voucher-lines");
  const template = document.getElementById("line-template");
  const picker = document.getElementById("picker");
  const lists = {
    account: JSON.parse(document.getElementById("accounts-data").textContent),
    member: JSON.parse(document.getElementById("members-data").textContent),
  };
  const accounts = new Map(lists.account.map((a) => [a.code, a]));
  const members = new Map(lists.member.map((m) => [m.code, m]));
  const MAX_SHOWN = 12;
  let open = null; // {input, items, index} while a list is shown

  // ----- amounts in fen -----------------------------------------------------------------------------------------
  function fen(text) {
    const t = text.replace(/[,，\s]/g, "");
    if (t === "") return 0;
    if (!/^\d+(\.\d{0,2})?$/.test(t)) return NaN;
    const [whole, part = ""] = t.split(".");
    return parseInt(whole, 10) * 100 + parseInt((part + "00").slice(0, 2), 10);
  }
  function yuan(amount) {
    const sign = amount < 0 ? "-" : "";
    const abs = Math.abs(amount);
    const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return sign + whole + "." + String(abs % 100).padStart(2, "0");
  }
  function totals(except) {
    let debit = 0, credit = 0, bad = false;
    for (const input of body.querySelectorAll(".coop-amount")) {
      const value = fen(input.value);
      input.classList.toggle("is-invalid", Number.isNaN(value));
      if (input === except || Number.isNaN(value)) { bad = bad || Number.isNaN(value); continue; }
      if (input.classList.contains("coop-debit")) debit += value; else credit += value;
    }
    return { debit, credit, bad };
  }
  function refresh() {
    const { debit, credit, bad } = totals(null);
    document.getElementById("total-debit").textContent = yuan(debit);
    document.getElementById("total-credit").textContent = yuan(credit);
    const difference = document.getElementById("difference");
    difference.textContent = yuan(debit - credit);
    difference.classList.toggle("text-success", debit === credit && debit > 0 && !bad);
    difference.classList.toggle("text-danger", debit !== credit || bad);
  }

  // ----- lines --------------------------------------------------------------------------------------------------
  function renumber() {
    body.querySelectorAll(".coop-line").forEach((row, index) => {
      row.querySelector(".coop-line-no").textContent = index + 1;
    });
  }
  function addLine(after) {
    const row = template.content.firstElementChild.cloneNode(true);
    if (after && after.nextSibling) body.insertBefore(row, after.nextSibling); else body.appendChild(row);
    renumber();
    return row;
  }
  function removeLine(row) {
    if (body.querySelectorAll(".coop-line").length <= 1) return null;
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    refresh();
    return next;
  }
  function showAux(row) {
    const account = accounts.get(row.querySelector("input[name=account]").value);
    const member = row.querySelector(".coop-member");
    const poverty = row.querySelector(".coop-poverty");
    member.hidden = !(account && account.member);
    poverty.hidden = !(account && account.poverty);
    if (member.hidden) { member.value = ""; row.querySelector("input[name=member]").value = ""; }
    if (poverty.hidden) poverty.value = "";
  }
  function label(kind, code) {
    const item = (kind === "account" ? accounts : members).get(code);
    return item ? item.code + " " + item.name : code;
  }

  // ----- the lists of accounts and members ----------------------------------------------------------------------
  function hidden(input) { return input.nextElementSibling; }
  function matches(kind, text) {
    const q = text.trim().toLowerCase();
    const all = kind === "account" ? lists.account.filter((a) => a.leaf) : lists.member;
    if (!q) return all.slice(0, MAX_SHOWN);
    const code = q.split(/\s/)[0];
    const found = all.filter((item) => item.code.toLowerCase().startsWith(code) || item.name.includes(q)
      || item.initials.split(" ").some((spelled) => spelled.includes(q)));
    const rank = (item) => (item.code.toLowerCase().startsWith(code) ? 0
      : item.initials.split(" ").some((spelled) => spelled.startsWith(q)) ? 1 : 2);
    return found.sort((a, b) => rank(a) - rank(b)).slice(0, MAX_SHOWN);
  }
  function showList(input) {
    const items = matches(input.dataset.picker, input.value);
    open = { input, items, index: 0 };
    picker.innerHTML = "";
    items.forEach((item, index) => {
      const entry = document.createElement("div");
      entry.className = "list-group-item list-group-item-action py-1 px-2" + (index === 0 ? " active" : "");
      entry.textContent = item.code + "  " + item.name;
      entry.addEventListener("mousedown", (event) => { event.preventDefault(); open.index = index; accept(); });
      picker.appendChild(entry);
    });
    const box = input.getBoundingClientRect();
    picker.style.left = window.scrollX + box.left + "px";
    picker.style.top = window.scrollY + box.bottom + "px";
    picker.style.minWidth = box.width + "px";
    picker.hidden = items.length === 0;
  }
  function highlight(step) {
    if (!open || !open.items.length) return;
    open.index = (open.index + step + open.items.length) % open.items.length;
    [...picker.children].forEach((entry, index) => entry.classList.toggle("active", index === open.index));
  }
  function accept() {
    if (!open) return;
    const { input, items, index } = open;
    const item = items[index];
    if (item && input.value.trim()) {
      hidden(input).value = item.code;
      input.value = item.code + " " + item.name;
    }
    closeList();
    if (input.dataset.picker === "account") showAux(input.closest("tr"));
  }
  function closeList() { open = null; picker.hidden = true; }

  // ----- moving through the cells -------------------------------------------------------------------------------
  function cells() {
    return [...form.querySelectorAll(".coop-cell")].filter((cell) => !cell.hidden && !cell.closest("template"));
  }
  function focus(cell) {
    cell.focus();
    if (cell.select) cell.select();
  }
  function move(from, step) {
    const all = cells();
    let index = all.indexOf(from) + step;
    const row = from.closest("tr");
    // A line with its debit typed goes on to the next line: its credit stays empty.
    if (step > 0 && from.classList.contains("coop-debit") && fen(from.value) > 0) {
      index = all.indexOf(row.querySelector(".coop-credit")) + 1;
    }
    if (index >= all.length) {
      focus(addLine(row).querySelector(".coop-summary"));
      return;
    }
    if (index >= 0) focus(all[index]);
  }
  function balancing(input) {
    const { debit, credit } = totals(input);
    const wanted = input.classList.contains("coop-debit") ? credit - debit : debit - credit;
    if (wanted > 0) { input.value = yuan(wanted).replace(/,/g, ""); otherSide(input).value = ""; }
    refresh();
  }
  function otherSide(input) {
    return input.closest("tr").querySelector(input.classList.contains("coop-debit") ? ".coop-credit" : ".coop-debit");
  }

  form.addEventListener("keydown", (event) => {
    const cell = event.target;
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      accept();
      form.requestSubmit();
      return;
    }
    if (!cell.classList || !cell.classList.contains("coop-cell")) return;
    const row = cell.closest(".coop-line");
    if (open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      event.preventDefault();
      highlight(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Escape") {
      closeList();
    } else if (row && (event.key === "Insert" || (event.ctrlKey && event.key === "Enter"))) {
      event.preventDefault();
      accept();
      focus(addLine(row).querySelector(".coop-summary"));
    } else if (row && event.ctrlKey && event.key === "Delete") {
      event.preventDefault();
      closeList();
      const next = removeLine(row);
      if (next) focus(next.querySelector(".coop-summary"));
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      accept();
      move(cell, event.shiftKey ? -1 : 1);
    } else if (event.key === "=" && cell.classList.contains("coop-amount")) {
      event.preventDefault();
      balancing(cell);
    }
  });
  form.addEventListener("input", (event) => {
    const cell = event.target;
    if (cell.dataset.picker) {
      hidden(cell).value = cell.value.trim(); // typed, not chosen: the server says if there is no such code
      showList(cell);
    } else if (cell.classList.contains("coop-amount")) {
      if (cell.value.trim()) otherSide(cell).value = "";
      refresh();
    }
  });
  form.addEventListener("focusin", (event) => {
    const cell = event.target;
    if (cell.classList.contains("coop-summary") && !cell.value) {
      // 摘要 is usually the line above's: offered, selected, kept by Enter or typed over.
      const above = cell.closest("tr").previousElementSibling;
      if (above) { cell.value = above.querySelector(".coop-summary").value; cell.select(); }
    }
    if (cell.dataset.picker) showList(cell);
  });
  form.addEventListener("focusout", (event) => {
    const cell = event.target;
    if (open && cell === open.input) closeList();
    if (cell.classList.contains("coop-amount") && fen(cell.value) > 0) cell.value = yuan(fen(cell.value));
  });

  for (const row of body.querySelectorAll(".coop-line")) {
    for (const input of row.querySelectorAll("[data-picker]")) {
      if (input.value) input.value = label(input.dataset.picker, input.value);
    }
    showAux(row);
  }
  refresh();
  const first = body.querySelector(".coop-summary");
  if (first) focus(first);
})();
