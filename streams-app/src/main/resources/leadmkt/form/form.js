// The capture form: posts the answers and the consent to the server, which records the evidence
// and runs the intake's checks; shows each error beside its field and in the alert summary.
(function () {
  'use strict';
  const form = document.getElementById('capture');
  const status = document.getElementById('form-status');
  const submit = document.getElementById('submit');

  /** The element an error about `field` belongs to: its own input, else the consent box for consent evidence. */
  function controlFor(field) {
    const own = form.querySelector('[data-field="' + CSS.escape(field) + '"]');
    if (own) return own;
    if (field === 'contact') return form.querySelector('[data-field="contact.phone"]');
    if (field.startsWith('consent')) return document.getElementById('consent');
    return null;
  }

  function clearErrors() {
    status.replaceChildren();
    form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    form.querySelectorAll('.error').forEach(el => el.replaceChildren());
  }

  function labelOf(control) {
    const label = control && form.querySelector('label[for="' + CSS.escape(control.id) + '"]');
    return label ? label.firstChild.textContent.trim() : null;
  }

  /** Each error beside its field (message and reason code), all of them in the summary, focus on the summary. */
  function showErrors(errors) {
    const list = document.createElement('ul');
    errors.forEach(error => {
      const control = controlFor(error.field);
      const item = document.createElement('li');
      item.dataset.field = error.field;
      item.dataset.code = error.code;
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        const slot = document.getElementById(control.id + '-error');
        const line = document.createElement('span');
        line.dataset.field = error.field;
        line.dataset.code = error.code;
        line.textContent = error.message;
        const code = document.createElement('span');
        code.className = 'code';
        code.textContent = error.code;
        line.append(code, document.createElement('br'));
        slot.append(line);
        const link = document.createElement('a');
        link.href = '#' + control.id;
        link.textContent = (labelOf(control) || error.field) + ': ' + error.message;
        link.addEventListener('click', event => { event.preventDefault(); control.focus(); });
        item.append(link);
      } else {
        item.textContent = error.field + ': ' + error.message + ' (' + error.code + ')';
      }
      list.append(item);
    });
    const heading = document.createElement('p');
    heading.textContent = errors.length === 1 ? 'One answer needs your attention:' : errors.length + ' answers need your attention:';
    status.append(heading, list);
    status.focus();
  }

  function showProblem(text) {
    const p = document.createElement('p');
    p.textContent = text;
    status.replaceChildren(p);
    status.focus();
  }

  function submission() {
    const answers = {};
    form.querySelectorAll('[data-field]').forEach(el => {
      if (el.type !== 'checkbox') answers[el.dataset.field] = el.value;
    });
    return {
      answers: answers,
      agreed: document.getElementById('consent').checked,
      shown: {
        disclosureVersion: form.dataset.disclosureVersion,
        disclosureHash: form.dataset.disclosureHash,
        namedBuyers: [...document.querySelectorAll('#named-buyers [data-buyer]')].map(li => li.textContent)
      },
      pageUrl: window.location.href,
      subId: form.elements.subId.value,
      website: form.elements.website.value
    };
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors();
    submit.disabled = true;
    document.body.dataset.state = 'sending';
    try {
      const response = await fetch(window.location.pathname, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify(submission())
      });
      const body = await response.json().catch(() => ({}));
      if (response.status === 202) {
        form.hidden = true;
        const thanks = document.getElementById('thanks');
        document.getElementById('lead-id').textContent = body.leadId;
        thanks.dataset.leadId = body.leadId;
        thanks.hidden = false;
        thanks.focus();
        document.body.dataset.state = 'accepted';
        return;
      }
      if (response.status === 400 && Array.isArray(body.errors)) {
        showErrors(body.errors);
      } else if (response.status === 409) {
        showProblem('The consent text changed since this page was opened. Please reload the page and read it again.');
      } else if (response.status === 429 || response.status === 503) {
        const wait = response.headers.get('Retry-After');
        showProblem('We cannot take your request right now. Please try again' + (wait ? ' in ' + wait + ' seconds.' : ' shortly.'));
      } else {
        showProblem('Your request could not be sent (' + (body.error || response.status) + ').');
      }
      document.body.dataset.state = 'refused';
    } catch (e) {
      showProblem('Your request could not be sent. Please check your connection and try again.');
      document.body.dataset.state = 'refused';
    } finally {
      submit.disabled = false;
    }
  });
})();
