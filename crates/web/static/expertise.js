// Guildhall: while a question is written, list the members who could
// answer it, with their evidence (the form's "check" button does the same
// without this script). Results are inserted as text, never as HTML.
(function () {
  'use strict';
  var form = document.getElementById('new-thread');
  var region = document.getElementById('suggested-answerers');
  if (!form || !region) { return; }
  var endpoint = region.getAttribute('data-endpoint');
  var fields = ['title', 'body', 'tags'].map(function (id) { return document.getElementById(id); });
  var type = document.getElementById('type');
  var anonymous = document.getElementById('anonymous');
  var timer = null;
  var asked = '';

  function hint(text) {
    var p = document.createElement('p');
    p.className = 'hint';
    p.textContent = text;
    return p;
  }

  function show(people) {
    region.textContent = '';
    if (people.length === 0) {
      region.appendChild(hint('No member has evidence on these topics yet.'));
      return;
    }
    var list = document.createElement('ul');
    list.className = 'people suggested-answerers';
    people.forEach(function (s) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '/people/' + encodeURIComponent(s.person.id);
      a.textContent = s.person.name;
      li.appendChild(a);
      var reasons = document.createElement('ul');
      reasons.className = 'evidence';
      s.reasons.forEach(function (r) {
        var item = document.createElement('li');
        item.textContent = r;
        reasons.appendChild(item);
      });
      li.appendChild(reasons);
      list.appendChild(li);
    });
    region.appendChild(list);
  }

  function look() {
    if (type && type.value !== 'question') { region.textContent = ''; asked = ''; return; }
    var query = 'title=' + encodeURIComponent(fields[0].value.trim()) +
      '&body=' + encodeURIComponent(fields[1].value.slice(0, 2000)) +
      '&tags=' + encodeURIComponent(fields[2].value) +
      '&anonymous=' + (anonymous && anonymous.checked ? 'true' : 'false');
    if (query === asked) { return; }
    asked = query;
    fetch(endpoint + '?' + query, {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (people) { if (asked === query) { show(people); } })
      .catch(function () { /* the check button still works */ });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(look, 400);
  }
  fields.forEach(function (f) { if (f) { f.addEventListener('input', soon); } });
  if (type) { type.addEventListener('change', soon); }
  if (anonymous) { anonymous.addEventListener('change', soon); }
  if (fields[0].value || fields[2].value) { soon(); }
})();
