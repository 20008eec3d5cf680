// One call through the gateway with a real SDK, its base URL the only change: node client.mjs <genai|openai> <scenario>.
// BASE_URL is the gateway's address, TOKEN the client token. Prints one JSON line: {"ok": true, "text": ...} or {"ok": false, "status": ...}.
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';

const [sdk, scenario] = process.argv.slice(2);
const baseUrl = process.env.BASE_URL;
const token = process.env.TOKEN;
const model = 'gemini-2.5-flash';

async function genai() {
  const ai = new GoogleGenAI({ apiKey: token, httpOptions: { baseUrl } });
  switch (scenario) {
    case 'generate':
    case 'invalid': {
      const r = await ai.models.generateContent({ model, contents: 'hi' });
      return { text: r.text };
    }
    case 'stream': {
      const parts = [];
      for await (const chunk of await ai.models.generateContentStream({ model, contents: 'hi' })) {
        parts.push(chunk.text);
      }
      return { parts };
    }
    case 'embed': {
      const r = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'hello' });
      return { values: r.embeddings[0].values };
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

async function openai() {
  const client = new OpenAI({ apiKey: token, baseURL: new URL('v1', baseUrl).toString(), maxRetries: 0 });
  const messages = [{ role: 'user', content: 'hi' }];
  switch (scenario) {
    case 'generate':
    case 'invalid': {
      const r = await client.chat.completions.create({ model, messages });
      return { text: r.choices[0].message.content };
    }
    case 'stream': {
      const parts = [];
      for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) {
        parts.push(chunk.choices[0]?.delta?.content ?? '');
      }
      return { parts };
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

try {
  const result = await (sdk === 'genai' ? genai() : openai());
  console.log(JSON.stringify({ ok: true, ...result }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, status: e.status ?? e.code ?? null, name: e.constructor?.name ?? null }));
}
