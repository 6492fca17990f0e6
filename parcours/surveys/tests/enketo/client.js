// A minimal OpenRosa client built from Enketo's own parts, as Enketo Express wires them:
// formList -> downloadUrl -> XForm, enketo-transformer (its web build: the browser's XSLTProcessor)
// turns the XForm into Enketo's HTML form and model, enketo-core's Form renders and runs it
// (skip logic, required, preloads, the instanceID), and its data goes back as an OpenRosa
// multipart submission. The browser does the HTTP authentication (the test gives it the login).
import { Form } from 'enketo-core';
import fileManager from 'enketo-core/src/js/file-manager';
import { transform } from 'enketo-transformer/web';

let form = null;

const OPENROSA = { 'X-OpenRosa-Version': '1.0' };

async function formFromList(formId) {
    const listing = await fetch('/openrosa/formList', { headers: OPENROSA });
    if (!listing.ok) throw new Error(`formList: ${listing.status}`);
    const xml = new DOMParser().parseFromString(await listing.text(), 'text/xml');
    const item = [...xml.getElementsByTagName('xform')].find(
        (el) => el.getElementsByTagName('formID')[0].textContent === formId
    );
    if (!item) throw new Error(`${formId} is not in the formList`);
    const url = item.getElementsByTagName('downloadUrl')[0].textContent;
    const download = await fetch(url, { headers: OPENROSA });
    if (!download.ok) throw new Error(`download: ${download.status}`);
    return download.text();
}

// `instanceStr`: a record sent before, opened to edit it; Enketo then gives it a new instanceID
// and names the old one as deprecatedID.
async function load(formId, instanceStr) {
    const xform = await formFromList(formId);
    const survey = await transform({ xform });
    const container = document.getElementById('form');
    container.innerHTML = survey.form;
    const data = instanceStr ? { modelStr: survey.model, instanceStr, submitted: true } : { modelStr: survey.model };
    form = new Form(container.querySelector('form'), data);
    const loadErrors = form.init();
    return { loadErrors, instanceID: form.instanceID, deprecatedID: form.deprecatedID,
             languages: Object.keys(survey.languageMap || {}) };
}

async function submit() {
    const valid = await form.validate();
    if (!valid) return { valid, status: null };
    const data = form.getDataStr();
    const pre = await fetch('/openrosa/submission', { method: 'HEAD', headers: OPENROSA });
    const body = new FormData();
    body.append('xml_submission_file', new Blob([data], { type: 'text/xml' }), 'xml_submission_file.xml');
    // Each photo or file as Enketo Express sends it: a part named after the file the data refers to.
    const files = fileManager.getCurrentFiles();
    files.forEach((file) => body.append(file.name, file, file.name));
    const response = await fetch('/openrosa/submission', { method: 'POST', headers: OPENROSA, body });
    return { valid, precheck: pre.status, status: response.status, text: await response.text(), data,
             instanceID: form.instanceID, files: files.map((f) => f.name) };
}

// Send the same data again, as a client does when it did not hear the server's answer.
async function resend(data) {
    const body = new FormData();
    body.append('xml_submission_file', new Blob([data], { type: 'text/xml' }), 'xml_submission_file.xml');
    const response = await fetch('/openrosa/submission', { method: 'POST', headers: OPENROSA, body });
    return { status: response.status, text: await response.text() };
}

window.enketoHarness = { load, submit, resend };
