import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App.js'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <App kratosUrl={import.meta.env.VITE_KRATOS_URL || 'http://localhost:4433'} />
  </StrictMode>,
)
