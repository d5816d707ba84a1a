// Guildhall: while a question's title is typed, list the similar questions
// already asked in the community (the form's "check" button does the same
// without this script). Also shows the "ask anonymously" choice only for
// questions. Results are inserted as text, never as HTML.
(function () {
  'use strict';
  var form = document.getElementById('new-thread');
  if (!form) { return; }
  var title = document.getElementById('title');
  var type = document.getElementById('type');
  var region = document.getElementById('similar');
  var anonymous = document.getElementById('anonymous-choice');
  var endpoint = form.getAttribute('data-similar');
  var timer = null;
  var asked = '';

  function showAnonymous() {
    if (!anonymous) { return; }
    var question = type.value === 'question';
    anonymous.hidden = !question;
    if (!question) { document.getElementById('anonymous').checked = false; }
  }

  function show(hits) {
    region.textContent = '';
    if (hits.length === 0) {
      var p = document.createElement('p');
      p.className = 'hint';
      p.textContent = 'None found: yours may well be new.';
      region.appendChild(p);
      return;
    }
    var list = document.createElement('ul');
    hits.forEach(function (h) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '/threads/' + encodeURIComponent(h.thread_id);
      a.textContent = h.title;
      li.appendChild(a);
      if (h.solved) {
        var badge = document.createElement('span');
        badge.className = 'badge solved';
        badge.textContent = 'Solved';
        li.appendChild(document.createTextNode(' '));
        li.appendChild(badge);
      }
      list.appendChild(li);
    });
    region.appendChild(list);
  }

  function look() {
    var words = title.value.trim();
    if (words.length < 3 || words === asked) { return; }
    asked = words;
    fetch(endpoint + '?title=' + encodeURIComponent(words), {
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (hits) { if (asked === words) { show(hits); } })
      .catch(function () { /* the check button still works */ });
  }

  title.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(look, 300);
  });
  type.addEventListener('change', showAnonymous);
  showAnonymous();
})();
